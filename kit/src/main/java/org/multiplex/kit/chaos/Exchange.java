package org.multiplex.kit.chaos;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One connection on which a chaos client writes on a thread of its own while it reads answers on
 * the caller's.
 *
 * <p>A client that wrote everything before reading anything would deadlock against a correct
 * server as soon as the answers outgrow the socket buffers: the server stops reading until its
 * answers are read, and the client never gets to reading. Real clients read and write at once;
 * so do these.
 *
 * <p>The writer is a short-lived platform thread, ended before any method of a chaos client
 * returns, so a test that looks for leaked threads after a chaos client finds none.
 */
final class Exchange implements AutoCloseable {

    /** What the writer thread does with the connected socket. */
    @FunctionalInterface
    interface Writing {
        void writeTo(Socket socket) throws IOException;
    }

    private final Socket socket;
    private final Duration timeout;
    private final InputStream in;
    private final Thread writer;
    private volatile Throwable writeFailure;

    private Exchange(Socket socket, Duration timeout, Writing writing) throws IOException {
        this.socket = socket;
        this.timeout = timeout;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.writer = Thread.ofPlatform().daemon().name("chaos-writer").start(() -> {
            try {
                writing.writeTo(socket);
            } catch (IOException | RuntimeException e) {
                writeFailure = e;
            }
        });
    }

    /**
     * Connects and starts writing.
     *
     * @param  server  where the server listens, on loopback
     * @param  timeout how long the connect, each read, and the writer's last bytes may wait
     * @param  writing what to send
     * @return the exchange, with its writer running
     * @throws IOException if the connection fails
     */
    static Exchange start(InetSocketAddress server, Duration timeout, Writing writing) throws IOException {
        Socket socket = Sockets.connect(server, timeout);
        try {
            return new Exchange(socket, timeout, writing);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Reads a number of answers, then waits for the writer to finish.
     *
     * @param  wanted how many answers to read
     * @return the answers, in the order they arrived
     * @throws IOException if the answers do not all come, or the bytes could not all be sent
     */
    List<String> answers(int wanted) throws IOException {
        List<String> answers = Answers.read(in, wanted, timeout);
        finishWriting();
        return answers;
    }

    /**
     * Reads until the server closes the connection, then waits for the writer to finish.
     *
     * @return every byte received, as text
     * @throws SocketTimeoutException if the server sends nothing for the time limit before closing
     * @throws IOException            if the connection fails, or the bytes could not all be sent
     */
    String untilEndOfStream() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            in.transferTo(received);
        } catch (SocketTimeoutException e) {
            SocketTimeoutException timedOut = new SocketTimeoutException("the server neither sent anything nor"
                    + " closed the connection for " + Sockets.describe(timeout) + "; received \""
                    + received.toString(StandardCharsets.UTF_8) + "\"");
            timedOut.initCause(e);
            throw timedOut;
        }
        finishWriting();
        return received.toString(StandardCharsets.UTF_8);
    }

    /** Returns the server's stream, buffered, for reading of the caller's own. */
    InputStream in() {
        return in;
    }

    /** Returns the socket underneath. */
    Socket socket() {
        return socket;
    }

    /**
     * Waits until the writer has sent everything, and throws what it failed with if it failed.
     *
     * @throws SocketTimeoutException if the server stopped reading and the writer is still stuck
     *                                after the time limit
     * @throws IOException            if writing failed
     */
    void finishWriting() throws IOException {
        try {
            if (!writer.join(timeout)) {
                throw new SocketTimeoutException("the server stopped reading: the client's bytes were still not"
                        + " all sent after " + Sockets.describe(timeout));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the client was still sending");
        }
        Throwable failure = writeFailure;
        if (failure != null) {
            throw new IOException("could not send every byte: " + failure, failure);
        }
    }

    /** Closes the connection, which also ends a writer the server left stuck, and waits for it. */
    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            boolean interrupted = false;
            while (writer.isAlive()) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
