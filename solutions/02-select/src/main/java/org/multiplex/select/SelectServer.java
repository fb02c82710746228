package org.multiplex.select;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;

/**
 * A server with one thread and one {@link Selector}, interested only in accepting and reading.
 *
 * <p>The thread sleeps in {@code select()} until a client connects or sends bytes, lets the
 * subclass handle what happened, and goes back to sleep. No client can stall it, because it never
 * waits for any one of them. Subclasses say what a server does with a new client
 * ({@link #accepted}) and with bytes that arrived ({@link #readable}); this class owns the
 * selector, the loop, and the life of the server.
 */
abstract class SelectServer implements Server {

    /** What the server has seen; every count is made on the loop's thread. */
    protected final ConnectionStats stats = new ConnectionStats();
    /** The selector, for subclasses that walk the keys of every client. */
    protected Selector selector;
    private final InetSocketAddress address;
    private final String threadName;
    private ServerSocketChannel listener;
    private Thread loop;
    private volatile boolean running;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address    where to listen; port 0 lets the system choose
     * @param threadName the name of the loop's thread
     */
    protected SelectServer(InetSocketAddress address, String threadName) {
        this.address = address;
        this.threadName = threadName;
    }

    /**
     * Handles a client just accepted: attaches to its key what the server keeps for it.
     *
     * @param key the client's key, registered for reading
     * @throws IOException if the client cannot be greeted
     */
    protected abstract void accepted(SelectionKey key) throws IOException;

    /**
     * Handles a client whose bytes have arrived, or whose end of stream has.
     *
     * @param key the client's key
     */
    protected abstract void readable(SelectionKey key);

    @Override
    public final synchronized InetSocketAddress start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(address, 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        running = true;
        loop = Thread.ofPlatform().name(threadName).start(this::serve);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void serve() {
        try {
            selectLoop();
        } catch (IOException e) {
            System.getLogger(getClass().getName()).log(System.Logger.Level.ERROR, "select failed", e);
        } finally {
            closeEverything();
        }
    }

    private void selectLoop() throws IOException {
        // BEGIN SOLUTION 2.2: select, then accept or hand to readable() each selected key, removing it from the selected set; stop when running is false
        // tag::select-loop[]
        while (running) {
            selector.select();
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove(); // The selector never empties this set by itself.
                if (!key.isValid()) {
                    continue; // Dropped earlier in this pass, by what another client's bytes caused.
                }
                if (key.isAcceptable()) {
                    accept();
                } else if (key.isReadable()) {
                    readable(key);
                }
            }
        }
        // end::select-loop[]
        // END SOLUTION
    }

    // tag::accept[]
    private void accept() throws IOException {
        SocketChannel client = listener.accept();
        if (client == null) {
            return; // Another wake-up took it, or the client gave up before we got here.
        }
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey key = client.register(selector, SelectionKey.OP_READ);
        stats.accepted();
        try {
            accepted(key);
        } catch (IOException e) {
            // The client left before it could be greeted.
            stats.failed();
            drop(key);
        }
    }
    // end::accept[]

    /**
     * Closes a client's connection and forgets its key, once.
     *
     * @param  key the client's key
     * @return true if this call closed it, false if it was closed already
     */
    protected boolean drop(SelectionKey key) {
        if (!key.isValid()) {
            return false;
        }
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Closing a socket that already failed may fail too; it is closed all the same.
        }
        stats.closed();
        return true;
    }

    /** Runs on the loop's own thread, after the loop: closes every client and the listener. */
    private void closeEverything() {
        for (SelectionKey key : selector.keys()) {
            if (key.channel() instanceof SocketChannel) {
                drop(key);
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
    public final ConnectionStats stats() {
        return stats;
    }

    /** Returns how many keys the selector holds: the listener's and one per client. */
    public final int registeredKeys() {
        return selector.isOpen() ? selector.keys().size() : 0;
    }

    @Override
    public final synchronized void close() {
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
