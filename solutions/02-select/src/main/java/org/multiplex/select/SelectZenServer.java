package org.multiplex.select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;
import org.multiplex.kit.zen.Zen;

/**
 * A Zen server with one thread and one {@link Selector}, interested only in accepting and reading.
 *
 * <p>The thread sleeps in {@code select()} until a client connects or sends bytes, does what those
 * bytes ask, and goes back to sleep. No client can stall it, because it never waits for any one
 * of them: each read takes only what has already arrived.
 *
 * <h2>What this server gets wrong</h2>
 *
 * It writes each answer straight back, without asking whether the client's socket can take it. An
 * answer is a few bytes and the kernel's send buffer holds many kilobytes, so this mostly works;
 * but a client that sends requests and never reads fills that buffer, and then a write takes only
 * part of an answer. This server closes such a client rather than send half an answer. Lesson 3
 * keeps the rest of the answer and waits until the socket can take it.
 */
public final class SelectZenServer implements Server {

    private final InetSocketAddress address;
    private final ConnectionStats stats = new ConnectionStats();
    /** One buffer for every read: the loop handles one client at a time. */
    private final ByteBuffer incoming = ByteBuffer.allocateDirect(16 * 1024);
    private Selector selector;
    private ServerSocketChannel listener;
    private Thread loop;
    private volatile boolean running;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public SelectZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("SelectZenServer", 1060, args, SelectZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(address, 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        running = true;
        loop = Thread.ofPlatform().name("select-zen-server").start(this::serve);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void serve() {
        try {
            selectLoop();
        } catch (IOException e) {
            System.getLogger(SelectZenServer.class.getName()).log(System.Logger.Level.ERROR, "select failed", e);
        } finally {
            closeEverything();
        }
    }

    private void selectLoop() throws IOException {
        // BEGIN SOLUTION 2.2: select, then accept or read for each selected key, removing it from the selected set; stop when running is false
        // tag::select-loop[]
        while (running) {
            selector.select();
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove(); // The selector never empties this set by itself.
                if (key.isAcceptable()) {
                    accept();
                } else if (key.isReadable()) {
                    read(key);
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
        client.register(selector, SelectionKey.OP_READ, new RequestBuffer());
        stats.accepted();
    }
    // end::accept[]

    private void read(SelectionKey key) {
        // BEGIN SOLUTION 2.3: read what has arrived; answer every complete request; on end of stream, a reset or an oversized request, drop the client
        // tag::read[]
        SocketChannel client = (SocketChannel) key.channel();
        RequestBuffer requests = (RequestBuffer) key.attachment();
        try {
            incoming.clear();
            if (client.read(incoming) < 0) {
                if (requests.inTheMiddleOfARequest()) {
                    stats.leftMidRequest();
                }
                drop(key);
                return;
            }
            incoming.flip();
            requests.take(incoming, request -> answer(client, request));
        } catch (IOException | UncheckedIOException e) {
            // A reset, an oversized request, or a client that does not read its answers.
            stats.failed();
            drop(key);
        }
        // end::read[]
        // END SOLUTION
    }

    private void answer(SocketChannel client, byte[] request) {
        ByteBuffer answer = ByteBuffer.wrap(Zen.answer(request));
        try {
            client.write(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answer.hasRemaining()) {
            // Lesson 3 keeps the rest and waits; this server can only give up on the client.
            throw new UncheckedIOException(new IOException("the client is not reading its answers"));
        }
        stats.answered();
    }

    private void drop(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Closing a socket that already failed may fail too; it is closed all the same.
        }
        stats.closed();
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
    public ConnectionStats stats() {
        return stats;
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
