package org.multiplex.kit.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.multiplex.kit.zen.ZenClient;

/**
 * A client that sends half a request and then waits, for as long as the test likes: the client
 * that stalls a server which serves one client at a time.
 *
 * <pre>{@code
 * try (SlowClient slow = SlowClient.connect(address, "Simple is better than?")) {
 *     // every other client should still be answered here
 *     assertThat(slow.finish()).isEqualTo("Complex.");
 * }
 * }</pre>
 */
public final class SlowClient implements AutoCloseable {

    private final ZenClient client;
    private final String rest;

    private SlowClient(ZenClient client, String rest) {
        this.client = client;
        this.rest = rest;
    }

    /**
     * Connects and sends the first half of a request.
     *
     * @param  server  where the server listens, on loopback
     * @param  request the whole request, ending with its only {@code '?'}
     * @return the client, holding the connection open with half the request sent
     * @throws IOException if the connection fails
     * @see    #connect(InetSocketAddress, String, Duration)
     */
    public static SlowClient connect(InetSocketAddress server, String request) throws IOException {
        return connect(server, request, Chaos.DEFAULT_TIMEOUT);
    }

    /**
     * Connects and sends the first half of a request: its first {@code length / 2} characters,
     * never the question mark.
     *
     * @param  server  where the server listens, on loopback
     * @param  request the whole request, ending with its only {@code '?'}
     * @param  timeout how long the connect, and the read in {@link #finish()}, may wait
     * @return the client, holding the connection open with half the request sent
     * @throws IllegalArgumentException if the request does not end with its only question mark
     * @throws IOException              if the connection fails
     */
    public static SlowClient connect(InetSocketAddress server, String request, Duration timeout) throws IOException {
        if (!request.endsWith("?") || request.indexOf('?') != request.length() - 1) {
            throw new IllegalArgumentException("the request must end with its only question mark; got \""
                    + request + "\"");
        }
        Sockets.requireLoopback(server);
        ZenClient client = ZenClient.connect(server, timeout);
        try {
            int half = request.length() / 2;
            client.send(request.substring(0, half));
            return new SlowClient(client, request.substring(half));
        } catch (IOException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Sends the rest of the request and returns the answer.
     *
     * @return the server's answer
     * @throws IOException if the connection fails, or the server closes it or falls silent before
     *                     answering
     */
    public String finish() throws IOException {
        client.send(rest);
        return client.readAnswer();
    }

    /** Closes the connection, finished or not; a server sees a client leave in mid-request. */
    @Override
    public void close() throws IOException {
        client.close();
    }
}
