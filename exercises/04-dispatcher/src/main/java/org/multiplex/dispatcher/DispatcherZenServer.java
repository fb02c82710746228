package org.multiplex.dispatcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;

/**
 * The Zen server on the dispatcher framework: a listening {@link Dispatcher} that makes a
 * {@link ZenConnection} of every client, and a {@link DispatcherLoop} on one thread.
 *
 * <p>It behaves as lesson 3's {@code PollZenServer}, pipelining, partial writes and backpressure
 * included, and owns none of the select loop: the framework asks each connection what it wants
 * and tells it what happened.
 */
public final class DispatcherZenServer implements Server {

    private static final System.Logger LOG = System.getLogger(DispatcherZenServer.class.getName());

    private final InetSocketAddress address;
    private final ConnectionStats stats = new ConnectionStats();
    private final AtomicInteger peakBufferedBytes = new AtomicInteger();
    private DispatcherLoop loop;
    private Thread thread;
    private boolean running;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public DispatcherZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("DispatcherZenServer", 1060, args, DispatcherZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        loop = new DispatcherLoop();
        InetSocketAddress bound;
        try {
            bound = new Listener(loop).localAddress();
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
        running = true;
        thread = Thread.ofPlatform().name("dispatcher-zen-server").start(this::serve);
        return bound;
    }

    private void serve() {
        try {
            loop.loop();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "select failed", e);
        } finally {
            for (Dispatcher d : loop.dispatchers()) {
                if (d instanceof ZenConnection connection) {
                    connection.finish();
                }
            }
            try {
                loop.close();
            } catch (IOException e) {
                // Nothing left to do with it.
            }
        }
    }

    /** The listening socket: a read event on it is a client to accept. */
    // tag::zen-listener[]
    private final class Listener extends Dispatcher {

        Listener(DispatcherLoop loop) throws IOException {
            super(loop);
            createSocket();
            bind(address);
            listen(4096);
        }

        @Override
        protected void handleAccepted(SocketChannel client) {
            stats.accepted();
            try {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                new ZenConnection(loop(), client, stats, held -> peakBufferedBytes.accumulateAndGet(held, Math::max));
            } catch (IOException e) {
                // The client reset before it was set up: only it is gone, never the listener.
                stats.failed();
                stats.closed();
                try {
                    client.close();
                } catch (IOException ignored) {
                    // Closed all the same.
                }
            }
        }
    }
    // end::zen-listener[]

    /** Returns what the server has seen of its clients, and which threads did its work. */
    public ConnectionStats stats() {
        return stats;
    }

    /** Returns the most bytes any one connection has held in its buffers so far. */
    public int peakBufferedBytes() {
        return peakBufferedBytes.get();
    }

    /**
     * Returns how many passes the server's loop has run so far. While nothing can be done (no
     * client sends, or every client that has answers waiting does not read them), a correct loop
     * runs none; one that runs thousands a second spins.
     */
    public long passes() {
        DispatcherLoop running = loop;
        return running == null ? 0 : running.passes();
    }

    /** Returns the most bytes one connection can ever hold in its buffers. */
    public static int bufferCap() {
        return ZenConnection.BUFFER_BYTES;
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        loop.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
