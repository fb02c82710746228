package org.multiplex.poll;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;

/**
 * The Zen server of the book's chapter 7 in Java: one thread, one selector, and for each client a
 * {@link Connection} whose interest switches from reading to writing when answers are waiting, and
 * back when they are all sent.
 *
 * <p>Unlike lesson 2's server it never writes more than the socket takes, never loses the rest,
 * and never reads more than it has room to answer: a client that sends and never reads costs
 * this server at most {@link Connection#BUFFER_BYTES} bytes, however much it sends.
 */
public final class PollZenServer implements Server {

    private final InetSocketAddress address;
    private final ConnectionStats stats = new ConnectionStats();
    private final AtomicInteger peakBufferedBytes = new AtomicInteger();
    private Selector selector;
    private ServerSocketChannel listener;
    private Thread loop;
    private volatile boolean running;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public PollZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("PollZenServer", 1060, args, PollZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(address, 4096);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        running = true;
        loop = Thread.ofPlatform().name("poll-zen-server").start(this::serve);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void serve() {
        try {
            // tag::event-loop[]
            while (running) {
                selector.select();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        step(key);
                    }
                }
            }
            // end::event-loop[]
        } catch (IOException e) {
            System.getLogger(PollZenServer.class.getName()).log(System.Logger.Level.ERROR, "select failed", e);
        } finally {
            closeEverything();
        }
    }

    private void accept() throws IOException {
        SocketChannel client;
        while ((client = listener.accept()) != null) {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.register(selector, SelectionKey.OP_READ, new Connection(client));
            stats.accepted();
        }
    }

    /** Moves one connection one step: a read or a write, then the interest switch. */
    private void step(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            long before = connection.answered();
            // tag::interest-switch[]
            int next = key.isReadable() ? connection.onReadable() : connection.onWritable();
            if (next == 0) {
                close(key, connection);
            } else {
                key.interestOps(next);
            }
            // end::interest-switch[]
            countAnswers(connection.answered() - before);
            peakBufferedBytes.accumulateAndGet(connection.bufferedBytes(), Math::max);
        } catch (IOException e) {
            // A reset, or a request longer than the protocol allows: only this client is gone.
            stats.failed();
            close(key, connection);
        }
    }

    private void countAnswers(long n) {
        for (long i = 0; i < n; i++) {
            stats.answered();
        }
    }

    private void close(SelectionKey key, Connection connection) {
        if (connection.leftMidRequest()) {
            stats.leftMidRequest();
        }
        key.cancel();
        try {
            connection.channel().close();
        } catch (IOException e) {
            // Closed all the same.
        }
        stats.closed();
    }

    private void closeEverything() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c && key.isValid()) {
                key.cancel();
                try {
                    c.channel().close();
                } catch (IOException e) {
                    // Closed all the same.
                }
                stats.closed();
            }
        }
        try {
            listener.close();
            selector.close();
        } catch (IOException e) {
            // Nothing left to do with them.
        }
    }

    /** Returns what the server has seen of its clients, and which threads did its work. */
    public ConnectionStats stats() {
        return stats;
    }

    /** Returns the most bytes any one connection has held in its buffers so far. */
    public int peakBufferedBytes() {
        return peakBufferedBytes.get();
    }

    /** Returns the most bytes one connection can ever hold in its buffers. */
    public static int bufferCap() {
        return Connection.BUFFER_BYTES;
    }

    /** Returns how many keys the selector holds: the listener's and one per client. */
    public int registeredKeys() {
        return selector.isOpen() ? selector.keys().size() : 0;
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
