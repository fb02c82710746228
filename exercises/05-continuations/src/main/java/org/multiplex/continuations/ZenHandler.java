package org.multiplex.continuations;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.IntConsumer;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.zen.Zen;

/**
 * One Zen client, served in blocking style: read, answer every complete request, write, again.
 * The same code runs as a fiber of a {@link SelectDispatcher} ({@link ContinuationZenServer}) and
 * on a virtual thread ({@link VirtualThreadZenServer}).
 */
final class ZenHandler extends BaseRequestHandler {

    /** Room for one whole request: a full buffer with no request end in it is a request too long. */
    static final int IN_BYTES = Zen.MAX_REQUEST_BYTES;
    /** Room for answers gathered before they are written: ten of the longest. */
    static final int OUT_BYTES = 256;
    /** The most a connection ever holds in its buffers. */
    static final int BUFFER_BYTES = IN_BYTES + OUT_BYTES;
    /** The longest answer of the protocol. */
    private static final int LONGEST_ANSWER = Zen.UNKNOWN.length();

    /** The bytes of requests not yet answered: the one buffer an idle connection keeps. */
    private final ByteBuffer in = ByteBuffer.allocate(IN_BYTES);
    private final ConnectionStats stats;
    private final IntConsumer held;

    /**
     * Makes the handler of a client just accepted.
     *
     * @param io      the connection's I/O
     * @param channel the client's channel
     * @param stats   where to count answers and clients that leave mid-request
     * @param held    told how many bytes the connection holds after each read is answered
     */
    ZenHandler(Io io, SocketChannel channel, ConnectionStats stats, IntConsumer held) {
        super(io, channel);
        this.stats = stats;
        this.held = held;
    }

    // tag::zen-handle[]
    @Override
    protected void handle() throws IOException {
        // TODO(5.6): read until the end of the stream, answering what each read brought; refuse a full buffer with no request end; count a client that leaves mid-request
        throw new org.multiplex.kit.Todo("5.6", "read until the end of the stream, answering what each read brought; refuse a full buffer with no request end; count a client that leaves mid-request");
    }

    /**
     * Answers every complete request in {@code in}, in order, and writes the answers; keeps the
     * start of a request not yet complete.
     *
     * <p>A method of its own for speed as well as for reading: the loop of {@link #handle()} is
     * entered once per connection, most of them while the JIT has compiled nothing yet, and a
     * fiber's frame of it stays interpreted for as long as the connection lives. This method is
     * called anew for every read, so it runs compiled as soon as the JIT has compiled it.
     */
    private void answerWhatArrived() throws IOException {
        // TODO(5.6): answer every complete request (count each with stats.answered()) into a new `out` buffer, writing it whenever it cannot take the longest answer; keep the unfinished rest at the front of `in`; write what is left
        throw new org.multiplex.kit.Todo("5.6", "answer every complete request (count each with stats.answered()) into a new `out` buffer, writing it whenever it cannot take the longest answer; keep the unfinished rest at the front of `in`; write what is left");
    }
    // end::zen-handle[]

    /** Returns whether the bytes before the buffer's position are all white space. */
    private static boolean blank(ByteBuffer buffer) {
        for (int i = 0; i < buffer.position(); i++) {
            if (!Character.isWhitespace(buffer.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void flush(ByteBuffer out) throws IOException {
        write(out.flip());
        out.clear();
    }
}
