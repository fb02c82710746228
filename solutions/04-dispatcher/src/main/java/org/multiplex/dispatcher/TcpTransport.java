package org.multiplex.dispatcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A TCP connection of the {@link Reactor}: a buffered dispatcher that turns its events into the
 * calls of a {@link Protocol}, and offers the protocol the {@link Transport} side.
 *
 * <p>Neither {@link #write} nor {@link #loseConnection()} touches the socket: they only change
 * what the dispatcher answers when the loop asks {@code writable()}. The loop sends, and closes,
 * at the next pass. So a protocol's handler never sees a connection end under its feet.
 */
final class TcpTransport extends BufferedDispatcher implements Transport {

    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    private static final int READ_SIZE = 16 * 1024;

    private final Protocol protocol;
    private final InetSocketAddress peer;
    private boolean disconnecting;
    private boolean lost;

    /**
     * Wraps a connection just accepted and calls the protocol's {@code connectionMade}.
     *
     * @param loop     the reactor's loop
     * @param channel  the connection
     * @param peer     the address of the other end
     * @param protocol the protocol the factory built for it
     */
    TcpTransport(DispatcherLoop loop, SocketChannel channel, InetSocketAddress peer, Protocol protocol)
            throws IOException {
        super(loop, channel);
        this.protocol = protocol;
        this.peer = peer;
        try {
            protocol.makeConnection(this);
        } catch (RuntimeException e) {
            handleError(e); // a bug in connectionMade ends this connection, not the listening port
        }
    }

    // tag::transport[]
    @Override
    protected boolean readable() {
        return !disconnecting;
    }

    @Override
    protected boolean writable() {
        return super.writable() || disconnecting;
    }

    @Override
    protected void handleRead() {
        byte[] data = recv(READ_SIZE);
        if (data.length > 0) {
            protocol.dataReceived(data);
        }
    }

    @Override
    protected void handleWrite() throws IOException {
        super.handleWrite();
        if (disconnecting && buffered() == 0) {
            connectionLost(new Protocol.ConnectionDone()); // everything written has gone
        }
    }

    @Override
    public void write(byte[] data) {
        if (!lost) {
            queue(ByteBuffer.wrap(data));
        }
    }

    @Override
    public void loseConnection() {
        disconnecting = true;
    }
    // end::transport[]

    @Override
    public boolean isDisconnecting() {
        return disconnecting;
    }

    @Override
    public InetSocketAddress getPeer() {
        return peer;
    }

    /** The peer closed, or reset. */
    @Override
    protected void handleClose() {
        connectionLost(new Protocol.ConnectionDone());
    }

    /** A protocol's handler threw: report it and end this connection only. */
    @Override
    protected void handleError(Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing " + this + " after an error in " + protocol, e);
        connectionLost(e);
    }

    /** Closes the connection, once, and tells the protocol. */
    void connectionLost(Throwable reason) {
        if (lost) {
            return;
        }
        lost = true;
        close();
        protocol.connectionLost(reason);
    }
}
