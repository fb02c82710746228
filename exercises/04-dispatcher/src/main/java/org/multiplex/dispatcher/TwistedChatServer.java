package org.multiplex.dispatcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;

/**
 * The seed's Twisted chat server, line for line, on this lesson's {@link Reactor}.
 *
 * <p>A newcomer is welcomed by name (its address, as {@code 127.0.0.1:50312}); every line a client
 * sends goes to every client, the sender too, as {@code name: line}. A line longer than
 * {@link LineOnlyReceiver#MAX_LENGTH} ends the connection of the client that sent it, and only
 * that one. Lesson 2's {@code SelectChatServer} does the same on a raw select loop, and spares the
 * sender its own lines.
 */
public final class TwistedChatServer implements Server {

    private static final System.Logger LOG = System.getLogger(TwistedChatServer.class.getName());
    private static final byte[] NEWLINE = {'\n'};

    // tag::chat[]
    /** One chatter. */
    static final class Chat extends LineOnlyReceiver {

        private final ChatFactory factory;

        Chat(ChatFactory factory) {
            this.factory = factory;
        }

        @Override
        protected byte[] delimiter() {
            return NEWLINE.clone(); // what nc sends; a telnet user's "\r" stays at the end of the line
        }

        @Override
        protected void lineReceived(byte[] data) {
            factory.sendAll(concat(utf8(getId() + ": "), data));
        }

        String getId() {
            InetSocketAddress peer = transport.getPeer();
            return peer.getHostString() + ":" + peer.getPort();
        }

        @Override
        public void connectionMade() {
            System.out.println("New connection from " + getId());
            transport.write(utf8("Welcome to the chat server, " + getId() + "\n"));
            factory.addClient(this);
        }

        @Override
        public void connectionLost(Throwable reason) {
            factory.delClient(this);
        }
    }

    /** What the chatters share: the list of them. */
    static final class ChatFactory extends Factory {

        private final List<Chat> clients = new ArrayList<>();

        @Override
        public Protocol buildProtocol(InetSocketAddress addr) {
            return new Chat(this);
        }

        void addClient(Chat newclient) {
            clients.add(newclient);
        }

        void delClient(Chat client) {
            clients.remove(client);
        }

        void sendAll(byte[] message) {
            for (Chat proto : clients) {
                proto.transport.write(concat(message, NEWLINE));
            }
        }
    }
    // end::chat[]

    private final InetSocketAddress address;
    private Reactor reactor;
    private Thread thread;
    private boolean running;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public TwistedChatServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 51423, the seed's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("TwistedChatServer", 51423, args, TwistedChatServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        reactor = new Reactor();
        InetSocketAddress bound = reactor.listenTCP(address.getPort(), new ChatFactory(), address.getAddress());
        running = true;
        thread = Thread.ofPlatform().name("twisted-chat-server").start(() -> {
            try {
                reactor.run();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "select failed", e);
            }
        });
        return bound;
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        reactor.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
