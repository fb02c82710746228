package org.multiplex.continuations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;

/**
 * A {@link SockServer}'s twin on JDK virtual threads: one virtual thread per connection runs the
 * very same {@link BaseRequestHandler}, with {@link Io#blocking() blocking I/O}.
 *
 * <p>It is lesson 1's thread-per-connection server again, and it scales as this lesson's
 * dispatcher does, for the same reason: a virtual thread is a continuation, mounted on a carrier
 * thread by a scheduler, and parked by the JDK's own poller (a selector) when its socket is not
 * ready. The JDK does for every thread what {@link SelectDispatcher} does for its fibers.
 */
public class VirtualThreadServer implements Server {

    private static final System.Logger LOG = System.getLogger(VirtualThreadServer.class.getName());

    private final InetSocketAddress address;
    private final SockServer.Handlers handlers;
    /** What the server has seen of its clients, and which threads did the work. */
    protected final ConnectionStats stats = new ConnectionStats();
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel listener;
    private Thread acceptor;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address  where to listen; port 0 lets the system choose
     * @param handlers makes the handler of each connection
     */
    public VirtualThreadServer(InetSocketAddress address, SockServer.Handlers handlers) {
        this.address = address;
        this.handlers = handlers;
    }

    /**
     * Makes a server whose subclass overrides {@link #handler} to make the handlers.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    protected VirtualThreadServer(InetSocketAddress address) {
        this(address, null);
    }

    /** Makes the handler of a connection just accepted; by default, with the server's handlers. */
    protected BaseRequestHandler handler(Io io, SocketChannel channel) throws IOException {
        return handlers.create(io, channel);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        listener = ServerSocketChannel.open();
        try {
            listener.bind(address, 4096);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        acceptor = Thread.ofVirtual().name("acceptor").start(this::acceptLoop);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel client = listener.accept();
                stats.accepted();
                clients.add(client);
                Thread.ofVirtual().name("client " + client.socket().getRemoteSocketAddress())
                        .start(() -> serve(client));
            }
        } catch (IOException e) {
            // The listener was closed: the server is stopping.
        }
    }

    private void serve(SocketChannel client) {
        try {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            handler(Io.blocking(), client).serve();
        } catch (IOException e) {
            stats.failed();
            LOG.log(System.Logger.Level.DEBUG, () -> "client failed: " + e);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "handler failed", e);
        } finally {
            clients.remove(client);
            try {
                client.close();
            } catch (IOException e) {
                // Closed all the same.
            }
            stats.closed();
        }
    }

    /** Returns what the server has seen of its clients, and which threads did its work. */
    public ConnectionStats stats() {
        return stats;
    }

    @Override
    public synchronized void close() {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
            acceptor.join();
            for (SocketChannel client : clients) {
                client.close();
            }
        } catch (IOException e) {
            // Closed all the same.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener = null;
    }
}
