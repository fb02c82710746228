package org.multiplex.kit.zen;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.Todo;

/**
 * A blocking Zen client, as the book's: send a request, read until the full stop.
 *
 * <p>Every read has a time limit (10 seconds unless told otherwise), so a server that never
 * answers makes the client fail with {@link java.net.SocketTimeoutException} instead of hanging.
 */
public final class ZenClient implements Closeable {

    /** How long a read waits for the server unless the caller says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private ZenClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to a Zen server.
     *
     * @param  address where the server listens
     * @return a connected client whose reads time out after {@link #DEFAULT_TIMEOUT}
     * @throws IOException if the connection is refused or fails
     */
    public static ZenClient connect(InetSocketAddress address) throws IOException {
        return connect(address, DEFAULT_TIMEOUT);
    }

    /**
     * Connects to a Zen server with a read time limit of the caller's choosing.
     *
     * @param  address where the server listens
     * @param  timeout how long one read may wait
     * @return a connected client
     * @throws IOException if the connection is refused or fails
     */
    public static ZenClient connect(InetSocketAddress address, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            Todo.closeWhenReached(socket);
            socket.connect(address, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            return new ZenClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends one request and waits for its answer.
     *
     * @param  request the request, ending with {@code '?'}
     * @return the answer, ending with {@code '.'}
     * @throws IOException if the connection fails, closes, or the read times out
     */
    public String ask(String request) throws IOException {
        send(request);
        return readAnswer();
    }

    /**
     * Sends bytes as they are, with no framing added.
     *
     * @param  text the text to send, encoded as UTF-8
     * @throws IOException if the connection fails
     */
    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends bytes as they are, with no framing added.
     *
     * @param  bytes the bytes to send
     * @throws IOException if the connection fails
     */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads one answer: every byte up to and including the next {@code '.'}.
     *
     * @return the answer
     * @throws EOFException if the server closes the connection before the full stop; its message
     *                      says what had arrived
     * @throws IOException  if the connection fails or the read times out
     */
    public String readAnswer() throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection before a full answer; received "
                        + (answer.size() == 0 ? "nothing" : "\"" + answer.toString(StandardCharsets.UTF_8) + "\""));
            }
            answer.write(b);
            if (b == Zen.ANSWER_END) {
                return answer.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Reports whether the server has closed the connection: waits for the next byte and answers
     * true if the stream ended there.
     *
     * @return true if the next read finds the end of the stream
     * @throws IOException if the connection fails or the read times out
     */
    public boolean serverClosed() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** Returns the socket underneath, for tests that need its options or its half-close. */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * Connects a crowd of clients that each pipeline the same requests before reading a single
     * answer, then reads every answer, and closes them all: what a demo shows a server doing.
     *
     * @param  server    the server's address
     * @param  clients   how many clients
     * @param  questions the requests each client sends, in one write
     * @return how many answers were the right one, in the right place
     */
    public static int crowd(InetSocketAddress server, int clients, List<String> questions) throws IOException {
        List<ZenClient> crowd = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                ZenClient client = ZenClient.connect(server);
                client.send(String.join("", questions));
                crowd.add(client);
            }
            int right = 0;
            for (ZenClient client : crowd) {
                for (String question : questions) {
                    if (client.readAnswer().equals(Zen.answer(question))) {
                        right++;
                    }
                }
            }
            return right;
        } finally {
            for (ZenClient client : crowd) {
                client.close();
            }
        }
    }
}
