package org.multiplex.blocking;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;

/**
 * A Zen server with a thread per connection.
 *
 * <p>One thread accepts; each client gets a platform thread of its own that runs the same
 * conversation as {@link BlockingZenServer}. A slow client now stalls only its own thread. The price
 * is a thread, with its stack, for every client connected, busy or idle.
 */
public final class ThreadedZenServer implements Server {

    private static final System.Logger LOG = System.getLogger(ThreadedZenServer.class.getName());

    private final InetSocketAddress address;
    private final ConnectionStats stats = new ConnectionStats();
    /** Every client connected now with the thread serving it, so that close() can end them all. */
    private final Set<Conversation> conversations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clientNumbers = new AtomicInteger();
    private ServerSocket listener;
    private Thread acceptor;

    private record Conversation(Socket client, Thread thread) {
    }

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public ThreadedZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("ThreadedZenServer", 1060, args, ThreadedZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        listener = new ServerSocket();
        listener.bind(address, 1024);
        acceptor = Thread.ofPlatform().name("threaded-zen-acceptor").start(this::acceptForever);
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptForever() {
        // TODO(1.4): accept clients and start a thread for each that runs serveAndForget, remembered in conversations; stop when close() closes the listener
        throw new org.multiplex.kit.Todo("1.4", "accept clients and start a thread for each that runs serveAndForget, remembered in conversations; stop when close() closes the listener");
    }

    private void serveAndForget(Socket client) {
        try {
            ZenConversation.serve(client, stats);
        } finally {
            conversations.removeIf(c -> c.client() == client);
        }
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
            acceptor.join();
            // The acceptor has ended, so no conversation is added after this snapshot.
            List<Conversation> open = List.copyOf(conversations);
            for (Conversation c : open) {
                c.client().close();
            }
            for (Conversation c : open) {
                c.thread().join();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "close failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
