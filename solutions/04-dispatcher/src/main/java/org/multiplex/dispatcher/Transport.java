package org.multiplex.dispatcher;

import java.net.InetSocketAddress;

/**
 * A connection as a {@link Protocol} sees it: Twisted's {@code ITransport}.
 *
 * <p>Its methods never block and never touch the socket: {@link #write} buffers, and the reactor
 * sends when the socket can take it. So no write can end a connection in the middle of a
 * protocol's handler, not even a write to another protocol's transport.
 */
public interface Transport {

    /**
     * Sends bytes, in order, after those written before; buffers what the socket cannot take now.
     * Writes after the connection ended are ignored.
     *
     * @param data the bytes to send
     */
    void write(byte[] data);

    /**
     * Closes the connection once everything written so far has been sent, and reads no more in
     * the meantime. The protocol's {@code connectionLost} follows.
     */
    void loseConnection();

    /** Returns whether {@link #loseConnection()} was called. */
    boolean isDisconnecting();

    /** Returns the address of the other end. */
    InetSocketAddress getPeer();
}
