package org.multiplex.select;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.net.ServerMain;

/**
 * A line-based chat server on a {@link SelectServer}: one thread, one selector, reading only.
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
public final class SelectChatServer extends SelectServer {

    /** The longest line a client may send, in bytes, line end not counted. */
    public static final int MAX_LINE = 1024;

    private final ByteBuffer incoming = ByteBuffer.allocateDirect(16 * 1024);

    /** What the server keeps of one chatter: its name and its unfinished line. */
    private record Chatter(String name, LineBuffer lines) {
    }

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public SelectChatServer(InetSocketAddress address) {
        super(address, "select-chat-server");
    }

    /** Runs the server: {@code --port} (default 51423, the seed's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("SelectChatServer", 51423, args, SelectChatServer::new);
    }

    @Override
    protected void accepted(SelectionKey key) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) ((SocketChannel) key.channel()).getRemoteAddress();
        Chatter chatter = new Chatter(peer.getHostString() + ":" + peer.getPort(), new LineBuffer(MAX_LINE));
        key.attach(chatter);
        // tag::welcome[]
        if (send(key, "Welcome to the chat server, " + chatter.name() + "\n")) {
            broadcast(key, "* " + chatter.name() + " joined\n");
        }
        // end::welcome[]
    }

    @Override
    protected void readable(SelectionKey key) {
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
        if (drop(key)) {
            broadcast(null, "* " + ((Chatter) key.attachment()).name() + " left\n");
        }
    }

    /** Returns how many chatters are connected now. */
    public long chatters() {
        return stats.openCount();
    }

}
