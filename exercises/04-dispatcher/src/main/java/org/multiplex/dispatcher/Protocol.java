package org.multiplex.dispatcher;

import java.io.IOException;

/**
 * What one connection does with the bytes that reach it: Twisted's {@code Protocol}.
 *
 * <p>A protocol never sees a socket, a selector or a readiness event. Its {@link Transport} is made
 * for it when the connection is, and from then on it is told what happened, in order:
 * {@link #connectionMade()} once, {@link #dataReceived} for each read, and
 * {@link #connectionLost} once. It writes through its transport, which buffers and sends when the
 * socket can take it. All of it runs on the reactor's thread.
 */
public abstract class Protocol {

    /** Why a connection ended when nothing went wrong: Twisted's {@code ConnectionDone}. */
    public static final class ConnectionDone extends IOException {
        private static final long serialVersionUID = 1L;

        /** Makes the reason. */
        public ConnectionDone() {
            super("the connection was closed cleanly");
        }
    }

    /** The connection this protocol talks through; set before {@link #connectionMade()}. */
    protected Transport transport;

    /**
     * Connects this protocol to its transport, then calls {@link #connectionMade()}.
     *
     * @param transport the connection
     */
    public final void makeConnection(Transport transport) {
        this.transport = transport;
        connectionMade();
    }

    /** Called once, when the connection is made; the transport is set. */
    public void connectionMade() {
    }

    /**
     * Called with the bytes of each read, as they come: a message may arrive in pieces, and
     * several messages in one piece.
     *
     * @param data the bytes read; the protocol may keep the array
     */
    public void dataReceived(byte[] data) {
    }

    /**
     * Called once, when the connection has ended; the transport is closed.
     *
     * @param reason a {@link ConnectionDone} after a clean close, else what went wrong
     */
    public void connectionLost(Throwable reason) {
    }
}
