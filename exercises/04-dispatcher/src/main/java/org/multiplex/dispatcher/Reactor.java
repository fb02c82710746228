package org.multiplex.dispatcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Twisted's reactor, as far as a TCP server needs it, on a {@link DispatcherLoop}: ports that
 * listen, and a loop that serves their connections.
 *
 * <pre>{@code
 * Reactor reactor = new Reactor();
 * reactor.listenTCP(51423, new ChatFactory());
 * reactor.run();
 * }</pre>
 *
 * <p>{@code listenTCP} and {@code run} are called on one thread (or {@code listenTCP} before
 * {@code run} starts on another); {@link #stop()} from any.
 */
public final class Reactor {

    private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

    private final DispatcherLoop loop;

    /**
     * Makes a reactor with nothing to do yet.
     *
     * @throws IOException if its selector cannot be opened
     */
    public Reactor() throws IOException {
        loop = new DispatcherLoop();
    }

    /**
     * Listens on a port of every interface; each connection gets a protocol from the factory.
     *
     * @param  port    the port; 0 lets the system choose
     * @param  factory makes a protocol for each connection
     * @return the address listened on
     * @throws IOException if the port cannot be bound
     */
    public InetSocketAddress listenTCP(int port, Factory factory) throws IOException {
        return listenTCP(port, factory, null);
    }

    /**
     * Listens on a port of one interface; each connection gets a protocol from the factory.
     *
     * @param  port      the port; 0 lets the system choose
     * @param  factory   makes a protocol for each connection
     * @param  host    the address to listen on, or null for every interface
     * @return the address listened on
     * @throws IOException if the port cannot be bound
     */
    public InetSocketAddress listenTCP(int port, Factory factory, InetAddress host) throws IOException {
        return new Port(loop, new InetSocketAddress(host, port), factory).localAddress();
    }

    /**
     * Serves until {@link #stop()} is called (or nothing is left to serve), then ends every
     * connection, telling its protocol, and closes every port.
     *
     * @throws IOException if the selector fails
     */
    public void run() throws IOException {
        try {
            loop.loop();
        } finally {
            for (Dispatcher d : loop.dispatchers()) {
                if (d instanceof TcpTransport connection) {
                    connection.connectionLost(new Protocol.ConnectionDone());
                }
            }
            loop.close();
        }
    }

    /** Makes {@link #run()} return after the pass it is in. Safe to call from any thread. */
    public void stop() {
        loop.stop();
    }

    /** A listening port: each connection it accepts gets a protocol and a transport. */
    private static final class Port extends Dispatcher {

        private final Factory factory;

        Port(DispatcherLoop loop, InetSocketAddress address, Factory factory) throws IOException {
            super(loop);
            this.factory = factory;
            createSocket();
            bind(address);
            listen(50);
        }

        @Override
        protected void handleAccepted(SocketChannel client) throws IOException {
            try {
                InetSocketAddress peer = (InetSocketAddress) client.getRemoteAddress();
                Protocol protocol = factory.buildProtocol(peer);
                if (protocol == null) {
                    client.close(); // the factory refused it
                    return;
                }
                new TcpTransport(loop(), client, peer, protocol);
            } catch (IOException | RuntimeException e) {
                // One connection that failed to start, never the port.
                LOG.log(System.Logger.Level.WARNING, "could not start a connection on " + this, e);
                client.close();
            }
        }
    }
}
