package org.multiplex.kit.chaos;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.zen.Zen;

/**
 * Cuts Zen answers out of a byte stream, one per full stop, and says plainly what went wrong when
 * they do not come: the failure of a chaos test is usually the message a student reads first.
 */
final class Answers {

    /**
     * The longest answer accepted. Real answers are shorter than 30 bytes; the limit stops a server
     * that streams bytes without a full stop from keeping a client reading forever.
     */
    static final int MAX_ANSWER_BYTES = Zen.MAX_REQUEST_BYTES;

    private final List<String> answers = new ArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /**
     * Adds one byte from the server, which completes an answer if it is a full stop.
     *
     * @throws ProtocolException if the answer grows past {@link #MAX_ANSWER_BYTES}
     */
    void add(byte b) throws ProtocolException {
        partial.write(b);
        if (b == Zen.ANSWER_END) {
            answers.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        } else if (partial.size() > MAX_ANSWER_BYTES) {
            throw new ProtocolException("an answer grew past " + MAX_ANSWER_BYTES + " bytes without a full stop; "
                    + soFar());
        }
    }

    /** Returns the answers complete so far, oldest first. */
    List<String> complete() {
        return List.copyOf(answers);
    }

    /** Returns how many answers are complete. */
    int count() {
        return answers.size();
    }

    /** Says what has arrived, for the message of a failure. */
    String soFar() {
        return "received " + answers.size() + (answers.size() == 1 ? " answer " : " answers ") + answers
                + (partial.size() == 0 ? "" : " and then \"" + partial.toString(StandardCharsets.UTF_8) + "\"");
    }

    /**
     * Reads answers from a stream until a number of them have arrived.
     *
     * @param  in      the server's stream, buffered
     * @param  wanted  how many answers to read
     * @param  timeout the read time limit the stream's socket has, for messages
     * @return the answers, in the order they arrived
     * @throws EOFException           if the server closes the connection first
     * @throws SocketTimeoutException if the server sends nothing for {@code timeout}
     * @throws SocketException        if the connection fails, a reset by the server among others
     * @throws IOException            if reading fails otherwise
     */
    static List<String> read(InputStream in, int wanted, Duration timeout) throws IOException {
        Answers answers = new Answers();
        try {
            while (answers.count() < wanted) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the server closed the connection before " + wanted + " answers; "
                            + answers.soFar());
                }
                answers.add((byte) b);
            }
        } catch (SocketTimeoutException e) {
            throw timedOut(answers, wanted, timeout, e);
        } catch (SocketException e) {
            throw failed(answers, wanted, e);
        }
        return answers.complete();
    }

    /** Returns a connection failure whose message says what did arrive before it. */
    static SocketException failed(Answers answers, long wanted, SocketException cause) {
        SocketException e = new SocketException("the connection failed (" + cause.getMessage() + ") before "
                + wanted + " answers; " + answers.soFar());
        e.initCause(cause);
        return e;
    }

    /** Returns a time-out whose message says what did arrive, the one fact that helps. */
    static SocketTimeoutException timedOut(Answers answers, long wanted, Duration timeout, Exception cause) {
        SocketTimeoutException e = new SocketTimeoutException("no answer from the server for "
                + Sockets.describe(timeout) + " while waiting for " + wanted + " answers; " + answers.soFar());
        e.initCause(cause);
        return e;
    }
}
