package org.multiplex.continuations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;

/**
 * A server on a {@link SelectDispatcher}: one fiber accepts connections and starts one more fiber
 * per connection, which runs a {@link BaseRequestHandler}. Every fiber runs on the one thread of
 * the dispatcher.
 */
public class SockServer implements Server {

    /** Makes the handler of a connection just accepted, for the I/O it will run on. */
    @FunctionalInterface
    public interface Handlers {
        BaseRequestHandler create(Io io, SocketChannel channel) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(SockServer.class.getName());

    private final InetSocketAddress address;
    private final Handlers handlers;
    private final String name;
    /** What the server has seen of its clients; subclasses count answers and failures in it. */
    protected final ConnectionStats stats = new ConnectionStats();
    private SelectDispatcher dispatcher;
    private Thread thread;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address  where to listen; port 0 lets the system choose
     * @param name     the name of the dispatcher's thread
     * @param handlers makes the handler of each connection
     */
    public SockServer(InetSocketAddress address, String name, Handlers handlers) {
        this.address = address;
        this.name = name;
        this.handlers = handlers;
    }

    /**
     * Makes a server whose subclass overrides {@link #handler} to make the handlers.
     *
     * @param address where to listen; port 0 lets the system choose
     * @param name    the name of the dispatcher's thread
     */
    protected SockServer(InetSocketAddress address, String name) {
        this(address, name, null);
    }

    /** Makes the handler of a connection just accepted; by default, with the server's {@link Handlers}. */
    protected BaseRequestHandler handler(SelectDispatcher dispatcher, SocketChannel channel) throws IOException {
        return handlers.create(dispatcher, channel);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        if (dispatcher != null) {
            throw new IllegalStateException("already started");
        }
        dispatcher = configure(new SelectDispatcher());
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(address, 4096);
        } catch (IOException e) {
            listener.close();
            dispatcher.close();
            throw e;
        }
        dispatcher.start("listener " + address, () -> acceptLoop(listener));
        thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                dispatcher.run();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "select failed", e);
            }
        });
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /** Sets the dispatcher up before it runs; subclasses may choose its output or checks. */
    protected SelectDispatcher configure(SelectDispatcher dispatcher) {
        return dispatcher.onFailure(fiber -> LOG.log(System.Logger.Level.WARNING,
                () -> fiber + " failed", fiber.failure().orElseThrow()));
    }

    // tag::accept-loop[]
    private void acceptLoop(ServerSocketChannel listener) throws IOException {
        try (listener) {
            while (true) {
                // BEGIN SOLUTION 5.5: accept a client (the call parks while none waits), count it, and start a fiber that serves it
                SocketChannel client = dispatcher.accept(listener);
                stats.accepted();
                dispatcher.start("client", () -> serve(client));
                // END SOLUTION
            }
        } catch (AsynchronousCloseException e) {
            // The server is closing: the listener's work is done.
        }
    }
    // end::accept-loop[]

    /** The life of one client's fiber: its handler's, and whatever happens, its close. */
    private void serve(SocketChannel client) throws Exception {
        try {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            handler(dispatcher, client).serve();
        } catch (IOException e) {
            // The client reset, timed out or broke the protocol: it is gone, and only it.
            stats.failed();
            LOG.log(System.Logger.Level.DEBUG, () -> "client failed: " + e);
        } finally {
            dispatcher.close(client);
            stats.closed();
        }
    }

    /** Returns what the server has seen of its clients, and which threads did its work. */
    public ConnectionStats stats() {
        return stats;
    }

    @Override
    public synchronized void close() {
        if (dispatcher == null || thread == null) {
            return;
        }
        dispatcher.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }
}
