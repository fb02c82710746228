package org.multiplex.select;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;

/**
 * A line-based chat server on one thread and one {@link Selector}.
 *
 * <p>A newcomer is welcomed by name (its address, as {@code 127.0.0.1:50312}) and announced to the
 * others. Every line a client sends reaches every other client once, as {@code name: line}. A
 * client that leaves is announced too. A line longer than {@link #MAX_LINE} bytes earns its sender
 * an error line and the end of its connection; the others carry on.
 *
 * <p>Like {@link SelectZenServer} it writes straight back, interested only in reading: a client
 * whose socket cannot take a whole message is disconnected as too slow. Lesson 3's buffers would
 * let it catch up instead.
 */
public final class SelectChatServer implements Server {

    /** The longest line a client may send, in bytes, line end not counted. */
    public static final int MAX_LINE = 1024;

    private final InetSocketAddress address;
    private final ConnectionStats stats = new ConnectionStats();
    private final ByteBuffer incoming = ByteBuffer.allocateDirect(16 * 1024);
    private Selector selector;
    private ServerSocketChannel listener;
    private Thread loop;
    private volatile boolean running;

    /** What the server keeps of one chatter: its name and its unfinished line. */
    private record Chatter(String name, LineBuffer lines) {
    }

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public SelectChatServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 51423, the seed's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("SelectChatServer", 51423, args, SelectChatServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(address, 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        running = true;
        loop = Thread.ofPlatform().name("select-chat-server").start(this::serve);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void serve() {
        try {
            while (running) {
                selector.select();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read(key);
                    }
                }
            }
        } catch (IOException e) {
            System.getLogger(SelectChatServer.class.getName()).log(System.Logger.Level.ERROR, "select failed", e);
        } finally {
            closeEverything();
        }
    }

    private void accept() throws IOException {
        SocketChannel client = listener.accept();
        if (client == null) {
            return;
        }
        client.configureBlocking(false);
        InetSocketAddress peer = (InetSocketAddress) client.getRemoteAddress();
        Chatter chatter = new Chatter(peer.getHostString() + ":" + peer.getPort(), new LineBuffer(MAX_LINE));
        SelectionKey key = client.register(selector, SelectionKey.OP_READ, chatter);
        stats.accepted();
        // tag::welcome[]
        if (send(key, "Welcome to the chat server, " + chatter.name() + "\n")) {
            broadcast(key, "* " + chatter.name() + " joined\n");
        }
        // end::welcome[]
    }

    private void read(SelectionKey key) {
        SocketChannel client = (SocketChannel) key.channel();
        Chatter chatter = (Chatter) key.attachment();
        try {
            incoming.clear();
            if (client.read(incoming) < 0) {
                leave(key);
                return;
            }
            incoming.flip();
            chatter.lines().take(incoming, line -> broadcast(key, chatter.name() + ": " + line + "\n"));
        } catch (ProtocolException e) {
            stats.failed();
            send(key, "Error: " + e.getMessage() + "; goodbye\n");
            leave(key);
        } catch (IOException e) {
            stats.failed();
            leave(key);
        }
    }

    /**
     * Sends a message to every chatter but the sender, each once.
     *
     * @param from the sender's key, or null for a message from the server
     * @param text the whole message, line end included
     */
    private void broadcast(SelectionKey from, String text) {
        // TODO(2.4): send the text to every other connected chatter; drop those too slow to take it, after the loop
        throw new org.multiplex.kit.Todo("2.4", "send the text to every other connected chatter; drop those too slow to take it, after the loop");
    }

    /** Writes a whole message to one chatter, or reports that its socket could not take it all. */
    private boolean send(SelectionKey key, String text) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            ((SocketChannel) key.channel()).write(bytes);
        } catch (IOException e) {
            return false;
        }
        return !bytes.hasRemaining();
    }

    /** Drops a chatter, once, and tells the others. */
    private void leave(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Closed all the same.
        }
        stats.closed();
        broadcast(null, "* " + ((Chatter) key.attachment()).name() + " left\n");
    }

    private void closeEverything() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Chatter && key.isValid()) {
                key.cancel();
                try {
                    key.channel().close();
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

    /** Returns how many chatters are connected now. */
    public long chatters() {
        return stats.openCount();
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
