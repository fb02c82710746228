package org.multiplex.continuations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.multiplex.kit.net.ServerMain;

/**
 * Lesson 2's chat server in blocking style: each chatter's fiber reads lines and hands them to
 * the room; a second fiber per chatter writes what the room gives it.
 *
 * <p>Two fibers per connection, one reading and one writing the same channel, is what a blocking
 * server with two threads per client would do; here both run on the dispatcher's one thread.
 * A chatter that lets more than {@link #MAX_QUEUED_BYTES} wait for it is too slow, and is
 * disconnected; the others never wait for it.
 */
public final class ContinuationChatServer extends SockServer {

    /** The longest line a client may send, in bytes, line end not counted. */
    public static final int MAX_LINE = 1024;
    /** The most bytes waiting to be sent to one chatter before it is dropped as too slow. */
    public static final int MAX_QUEUED_BYTES = 64 * 1024;
    /** How long a leaving chatter's last messages may take to be sent. */
    private static final Duration LAST_WORDS = Duration.ofSeconds(5);

    /** Everyone connected, in the order they came. Touched by fibers only, so by one thread. */
    private final Set<Chatter> room = new LinkedHashSet<>();

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public ContinuationChatServer(InetSocketAddress address) {
        super(address, "continuation-chat-server");
    }

    /** Runs the server: {@code --port} (default 51423, the seed's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("ContinuationChatServer", 51423, args, ContinuationChatServer::new);
    }

    @Override
    protected BaseRequestHandler handler(SelectDispatcher dispatcher, SocketChannel channel) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
        return new Chatter(dispatcher, channel, peer.getHostString() + ":" + peer.getPort());
    }

    /** Returns how many chatters are connected now. */
    public long chatters() {
        return stats.openCount();
    }

    /** Sends a message to everyone in the room but the sender. */
    private void broadcast(Chatter from, String text) {
        for (Chatter chatter : List.copyOf(room)) {
            if (chatter != from) {
                chatter.send(text);
            }
        }
    }

    /** One chatter: this fiber reads its lines; {@link #writer} writes its outbox. */
    private final class Chatter extends BaseRequestHandler {

        private final SelectDispatcher dispatcher;
        private final String name;
        private final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
        private int queued;
        private boolean leaving;
        private Fiber writer;

        Chatter(SelectDispatcher dispatcher, SocketChannel channel, String name) {
            super(dispatcher, channel);
            this.dispatcher = dispatcher;
            this.name = name;
        }

        @Override
        protected void setup() {
            writer = dispatcher.start("writer of " + name, this::writeOutbox);
            room.add(this);
            send("Welcome to the chat server, " + name + "\n");
            broadcast(this, "* " + name + " joined\n");
        }

        // tag::chat-handle[]
        @Override
        protected void handle() throws IOException {
            // BEGIN SOLUTION 5.8: read line after line and broadcast each as "name: line"; a line too long earns an error line, then the chatter leaves
            LineReader lines = new LineReader(this, MAX_LINE);
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    broadcast(this, name + ": " + line + "\n");
                }
            } catch (ProtocolException e) {
                stats.failed();
                send("Error: " + e.getMessage() + "; goodbye\n");
            }
            // END SOLUTION
        }
        // end::chat-handle[]

        @Override
        protected void finish() {
            if (room.remove(this)) {
                broadcast(this, "* " + name + " left\n");
            }
            // Let the writer send what waits (a goodbye, say) before the channel is closed.
            leaving = true;
            dispatcher.unpark(writer);
            dispatcher.join(writer, LAST_WORDS);
        }

        /** Queues a message for this chatter, or drops the chatter if it is too far behind. */
        void send(String text) {
            if (leaving) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            if (queued + bytes.remaining() > MAX_QUEUED_BYTES) {
                tooSlow();
                return;
            }
            outbox.add(bytes);
            queued += bytes.remaining();
            dispatcher.unpark(writer);
        }

        /** The writer fiber: sends what waits, parks while nothing does; ends when the chatter leaves. */
        // tag::chat-writer[]
        private void writeOutbox() {
            try {
                while (true) {
                    ByteBuffer next = outbox.poll();
                    if (next != null) {
                        queued -= next.remaining();
                        write(next);
                    } else if (leaving) {
                        return;
                    } else {
                        dispatcher.park();
                    }
                }
            } catch (IOException e) {
                // The chatter reset, or was dropped: its reader fiber learns it too, and leaves.
                closeQuietly();
            }
        }
        // end::chat-writer[]

        /** Drops a chatter whose outbox is full: its reader fiber ends with its channel closed. */
        private void tooSlow() {
            leaving = true;
            outbox.clear();
            // Its reader fiber, parked on the channel, ends; finish() announces that it left.
            closeQuietly();
        }

        private void closeQuietly() {
            try {
                dispatcher.close(channel);
            } catch (IOException e) {
                // Closed all the same.
            }
        }
    }
}
