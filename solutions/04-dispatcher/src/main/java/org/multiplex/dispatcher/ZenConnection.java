package org.multiplex.dispatcher;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.IntConsumer;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.zen.Zen;

/**
 * One client of the {@link DispatcherZenServer}: lesson 3's connection, rebuilt on a
 * {@link BufferedDispatcher}.
 *
 * <p>Lesson 3's state machine is gone. The loop asks {@link #readable()} and {@link #writable()}
 * on every pass, so the connection only has to say what it wants now: to write while answers wait
 * (the buffered dispatcher says so by itself), and to read only when none do. That one condition
 * is the backpressure: a client that sends and never reads costs at most {@link #BUFFER_BYTES}.
 */
final class ZenConnection extends BufferedDispatcher {

    /** Room for unanswered requests: one whole request and a read's worth more. */
    static final int IN_BYTES = 2 * Zen.MAX_REQUEST_BYTES;
    /** Room for answers not yet sent. */
    static final int OUT_BYTES = 2 * 1024;
    /** The most a connection ever holds in its buffers. */
    static final int BUFFER_BYTES = IN_BYTES + OUT_BYTES;
    /** The longest answer of the protocol; an answer is added only if this much room is left. */
    private static final int LONGEST_ANSWER = Zen.UNKNOWN.length();
    private static final System.Logger LOG = System.getLogger(ZenConnection.class.getName());

    /** Bytes read and not yet answered, ready to be filled (position = end of data). */
    private final ByteBuffer in = ByteBuffer.allocate(IN_BYTES);
    private final ConnectionStats stats;
    private final IntConsumer held;

    /**
     * Wraps a client just accepted.
     *
     * @param loop   the server's loop
     * @param client the client's socket
     * @param stats  where to count what happens
     * @param held   told how many bytes the connection holds after each event
     */
    ZenConnection(DispatcherLoop loop, SocketChannel client, ConnectionStats stats, IntConsumer held)
            throws IOException {
        super(loop, client, OUT_BYTES);
        this.stats = stats;
        this.held = held;
    }

    @Override
    protected boolean readable() {
        // BEGIN SOLUTION 4.4: read only while no answers wait to be sent: that one condition is the backpressure
        // tag::zen-readable[]
        return buffered() == 0;
        // end::zen-readable[]
        // END SOLUTION
    }

    @Override
    protected void handleRead() throws IOException {
        // BEGIN SOLUTION 4.4: recv into `in` (at the end of the stream handleClose has run already: stop); then answerWhatFits() and initiateSend(), again while the socket took every answer and a complete request is left
        // tag::zen-read[]
        assert in.hasRemaining() : "readable() only when every complete request is answered";
        if (recv(in) < 0) {
            return;
        }
        // Send the answers now: the socket nearly always takes them all, so the connection stays
        // readable and its interest never changes. Left to the next write event, every request
        // would cost a pass and two changes of interest (two epoll_ctl calls) more. Requests that
        // did not fit the outgoing buffer are answered as soon as it is empty again: no read
        // event may ever come for them.
        do {
            answerWhatFits();
            initiateSend();
        } while (!isClosed() && buffered() == 0 && indexOfRequestEnd() >= 0);
        // end::zen-read[]
        // END SOLUTION
    }

    @Override
    protected void handleWrite() throws IOException {
        super.handleWrite();
        if (!isClosed()) {
            answerWhatFits(); // room was made: answer requests that waited for it
        }
    }

    /** The client has closed its side, or reset: every answer it could read has been sent. */
    @Override
    protected void handleClose() {
        if (leftMidRequest()) {
            stats.leftMidRequest();
        }
        finish();
    }

    /** A request longer than the protocol allows, or a bug: only this client is dropped. */
    @Override
    protected void handleError(Exception e) {
        if (!(e instanceof ProtocolException)) {
            LOG.log(System.Logger.Level.WARNING, "closing " + this, e);
        }
        stats.failed();
        finish();
    }

    /** Closes the connection, once, and counts it. */
    void finish() {
        if (!isClosed()) {
            close();
            stats.closed();
        }
    }

    /**
     * Turns every complete request in {@code in} into an answer in the outgoing buffer, in
     * order, for as long as the buffer has room for one more answer.
     */
    private void answerWhatFits() throws ProtocolException {
        in.flip();
        int start = in.position();
        for (int i = start; i < in.limit() && buffered() + LONGEST_ANSWER <= OUT_BYTES; i++) {
            if (in.get(i) == Zen.REQUEST_END) {
                queue(ByteBuffer.wrap(Zen.answer(in.array(), start, i + 1 - start)));
                stats.answered();
                start = i + 1;
            }
        }
        in.position(start);
        in.compact();
        held.accept(in.position() + buffered());
        if (in.position() > Zen.MAX_REQUEST_BYTES && indexOfRequestEnd() < 0) {
            throw new ProtocolException("request longer than " + Zen.MAX_REQUEST_BYTES + " bytes");
        }
    }

    private int indexOfRequestEnd() {
        for (int i = 0; i < in.position(); i++) {
            if (in.get(i) == Zen.REQUEST_END) {
                return i;
            }
        }
        return -1;
    }

    /** Returns whether the client left with part of a request unanswered. */
    private boolean leftMidRequest() {
        for (int i = 0; i < in.position(); i++) {
            if (!Character.isWhitespace(in.get(i))) {
                return true;
            }
        }
        return false;
    }
}
