package org.multiplex.blocking;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;

/**
 * A Zen server with one thread that serves one client at a time.
 *
 * <p>It accepts a client, answers its requests until it leaves, and only then accepts the next.
 * A second client can connect meanwhile (the kernel completes the handshake and queues the
 * connection in the listen backlog), but nobody reads its requests: one slow client stalls everyone.
 * That is the lesson.
 */
public final class BlockingZenServer implements Server {

    private static final System.Logger LOG = System.getLogger(BlockingZenServer.class.getName());

    private final InetSocketAddress address;
    private final ConnectionStats stats = new ConnectionStats();
    private ServerSocket listener;
    private Thread thread;
    /** The client being served, so that {@link #close()} can end its conversation. */
    private volatile Socket current;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public BlockingZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("BlockingZenServer", 1060, args, BlockingZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        listener = new ServerSocket();
        listener.bind(address);
        thread = Thread.ofPlatform().name("blocking-zen-server").start(this::serveForever);
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void serveForever() {
        // TODO(1.3): accept clients one at a time and serve each with ZenConversation.serve until it leaves; stop when close() closes the listener
        throw new org.multiplex.kit.Todo("1.3", "accept clients one at a time and serve each with ZenConversation.serve until it leaves; stop when close() closes the listener");
    }

    /** Returns what the server has seen of its clients. */
    public ConnectionStats stats() {
        return stats;
    }

    @Override
    public synchronized void close() {
        if (listener == null || listener.isClosed()) {
            return;
        }
        try {
            listener.close();
            Socket client = current;
            if (client != null) {
                client.close();
            }
            thread.join();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "close failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
