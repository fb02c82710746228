package org.multiplex.poll;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.multiplex.kit.zen.Zen;

/**
 * Everything the server remembers about one client between two wake-ups: the bytes it sent that
 * are not yet answered, the answers it has not yet taken, and whether it has finished sending.
 *
 * <p>Both buffers have a fixed size, so a connection never costs more than {@link #BUFFER_BYTES}
 * however its client behaves. When the answers buffer is full the server stops reading from the
 * client (its interest is writing only): requests then wait in the kernel's buffers, and the
 * kernel tells the client to slow down. That is backpressure.
 *
 * <h2>The state machine</h2>
 *
 * <pre>
 *   READING --(answers waiting)--> WRITING --(all sent)--> READING
 *      |                              |
 *      +--(end of stream, nothing to send)--+--(end of stream and all sent)--> CLOSED
 * </pre>
 */
final class Connection {

    /** Room for unanswered requests: one whole request and a read's worth more. */
    static final int IN_BYTES = 2 * Zen.MAX_REQUEST_BYTES;
    /** Room for answers not yet sent. */
    static final int OUT_BYTES = 2 * 1024;
    /** The most a connection ever holds in its buffers. */
    static final int BUFFER_BYTES = IN_BYTES + OUT_BYTES;
    /** The longest answer of the protocol; an answer is added only if this much room is left. */
    private static final int LONGEST_ANSWER = Zen.UNKNOWN.length();

    private final SocketChannel channel;
    /** Bytes read and not yet answered, ready to be filled (position = end of data). */
    private final ByteBuffer in = ByteBuffer.allocate(IN_BYTES);
    /** Answers not yet sent, ready to be filled (position = end of data). */
    private final ByteBuffer out = ByteBuffer.allocate(OUT_BYTES);
    private boolean clientFinished;
    private long answered;

    Connection(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Reads what has arrived, answers what it can, and says what to wait for next.
     *
     * @return the interest to wait for next, or 0 when the connection is done and must be closed
     * @throws ProtocolException if a request is longer than the protocol allows
     * @throws IOException       if the connection fails
     */
    int onReadable() throws IOException {
        if (channel.read(in) < 0) {
            clientFinished = true;
        }
        answerWhatFits();
        return nextInterest();
    }

    /**
     * Sends what the socket takes, answers more if there is room now, and says what to wait for
     * next.
     *
     * @return the interest to wait for next, or 0 when the connection is done and must be closed
     * @throws IOException if the connection fails
     */
    int onWritable() throws IOException {
        // BEGIN SOLUTION 3.3: write what the socket takes and keep the rest for the next wake-up; then answer more, and choose the next interest
        // tag::on-writable[]
        out.flip();
        channel.write(out);
        out.compact(); // a partial write keeps the unsent rest at the front
        answerWhatFits();
        return nextInterest();
        // end::on-writable[]
        // END SOLUTION
    }

    /**
     * Turns every complete request in {@code in} into an answer in {@code out}, in order, for as
     * long as {@code out} has room for one more answer.
     */
    private void answerWhatFits() throws ProtocolException {
        // BEGIN SOLUTION 3.1: answer each complete request in `in`, in order, while `out` has room for the longest answer, counting each in `answered`; keep the rest of `in`
        // tag::answer-what-fits[]
        in.flip();
        int start = in.position();
        for (int i = start; i < in.limit() && out.remaining() >= LONGEST_ANSWER; i++) {
            if (in.get(i) == Zen.REQUEST_END) {
                out.put(Zen.answer(in.array(), start, i + 1 - start));
                answered++;
                start = i + 1;
            }
        }
        in.position(start);
        in.compact();
        if (in.position() > Zen.MAX_REQUEST_BYTES && indexOfRequestEnd() < 0) {
            throw new ProtocolException("request longer than " + Zen.MAX_REQUEST_BYTES + " bytes");
        }
        // end::answer-what-fits[]
        // END SOLUTION
    }

    /**
     * Chooses what to wait for: to write while answers wait (and then not to read: that is the
     * backpressure), to read otherwise, or nothing when the client has finished and everything
     * it asked is answered and sent.
     */
    private int nextInterest() {
        // BEGIN SOLUTION 3.2: writing while answers wait, else reading, else 0 when the client finished and all is sent
        // tag::next-interest[]
        if (out.position() > 0) {
            return SelectionKey.OP_WRITE;
        }
        if (clientFinished) {
            return 0;
        }
        return SelectionKey.OP_READ;
        // end::next-interest[]
        // END SOLUTION
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
    boolean leftMidRequest() {
        for (int i = 0; i < in.position(); i++) {
            if (!Character.isWhitespace(in.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Returns how many bytes the connection holds now in its buffers. */
    int bufferedBytes() {
        return in.position() + out.position();
    }

    /** Returns how many requests were answered (queued to be sent). */
    long answered() {
        return answered;
    }

    SocketChannel channel() {
        return channel;
    }
}
