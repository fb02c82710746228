package org.multiplex.kit.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many connections that send nothing: the clients a server must hold without spending a thread,
 * or much else, on each.
 *
 * <p>A thread-per-client server pays a thread for every member of the crowd; a select loop pays a
 * little memory. Ten thousand is the classic "C10K" crowd; mind that each connection costs a file
 * descriptor here and another in the server, so a crowd that size needs a limit ({@code ulimit
 * -n}) above twenty thousand when both run in one process.
 *
 * <pre>{@code
 * try (IdleCrowd crowd = IdleCrowd.open(address, 1000)) {
 *     assertThat(ZenClient.connect(address).ask("Simple is better than?")).isEqualTo("Complex.");
 * }
 * }</pre>
 */
public final class IdleCrowd implements AutoCloseable {

    private final List<SocketChannel> connections;

    private IdleCrowd(List<SocketChannel> connections) {
        this.connections = connections;
    }

    /**
     * Opens a number of connections, one after the other, and sends nothing on any.
     *
     * @param  server where the server listens, on loopback
     * @param  size   how many connections to open
     * @return the crowd, every connection open
     * @throws IOException if a connection fails or takes longer than {@link Chaos#DEFAULT_TIMEOUT};
     *                     the ones already open are closed first
     * @see    #open(InetSocketAddress, int, Duration)
     */
    public static IdleCrowd open(InetSocketAddress server, int size) throws IOException {
        return open(server, size, Chaos.DEFAULT_TIMEOUT);
    }

    /**
     * Opens a number of connections, one after the other, and sends nothing on any. If one fails,
     * every connection opened so far is closed before the failure is thrown, so a crowd that could
     * not gather leaves nothing behind.
     *
     * @param  server  where the server listens, on loopback
     * @param  size    how many connections to open
     * @param  timeout how long each connect may wait; a server whose listen queue is full makes
     *                 connects wait
     * @return the crowd, every connection open
     * @throws IOException if a connection fails or times out; its message says how many had opened
     */
    public static IdleCrowd open(InetSocketAddress server, int size, Duration timeout) throws IOException {
        Sockets.requireLoopback(server);
        if (size < 0) {
            throw new IllegalArgumentException("a crowd cannot have " + size + " connections");
        }
        int millis = Sockets.millis(timeout);
        List<SocketChannel> connections = new ArrayList<>(size);
        try {
            while (connections.size() < size) {
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.socket().connect(server, millis);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                connections.add(channel);
            }
            return new IdleCrowd(connections);
        } catch (IOException | RuntimeException e) {
            closeAll(connections);
            throw new IOException("opened " + connections.size() + " of " + size + " connections, then: " + e, e);
        }
    }

    /** Returns how many connections the crowd holds. */
    public int size() {
        return connections.size();
    }

    /** Closes every connection of the crowd. */
    @Override
    public void close() {
        closeAll(connections);
    }

    private static void closeAll(List<SocketChannel> connections) {
        for (SocketChannel channel : connections) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // A connection that fails to close has nothing left to free.
            }
        }
    }
}
