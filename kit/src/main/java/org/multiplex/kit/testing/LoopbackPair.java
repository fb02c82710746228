package org.multiplex.kit.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.multiplex.kit.Todo;

/**
 * The two ends of one loopback connection: the server's end as a channel, for the code under test,
 * and the client's as an ordinary blocking socket with a 10 s read limit, for the test, closed when
 * a stub is reached.
 *
 * @param server the accepted end
 * @param client the connecting end
 */
public record LoopbackPair(SocketChannel server, Socket client) implements AutoCloseable {

    /** Opens a pair whose client has the system's kernel buffers. */
    public static LoopbackPair open() throws IOException {
        return open(0);
    }

    /**
     * Opens a pair.
     *
     * @param clientBuffer the client's send and receive buffer sizes, or 0 for the system's
     */
    public static LoopbackPair open(int clientBuffer) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Socket client = new Socket();
            Todo.closeWhenReached(client);
            if (clientBuffer > 0) {
                client.setReceiveBufferSize(clientBuffer);
                client.setSendBufferSize(clientBuffer);
            }
            client.connect(listener.getLocalAddress());
            client.setSoTimeout(10_000);
            return new LoopbackPair(listener.accept(), client);
        }
    }

    /** Returns a port on the loopback that nothing listens on: one just given out and taken back. */
    public static int closedPort() throws IOException {
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return gone.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
