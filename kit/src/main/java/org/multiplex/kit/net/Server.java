package org.multiplex.kit.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A server of the course, started and stopped by a program rather than by a person.
 *
 * <p>Every server in the course has the same life: it is built with the address it should listen
 * on, {@link #start() started}, used, and {@link #close() closed}. Tests bind port 0 and ask
 * {@code start} which port the system chose; {@code start} returns only once the server listens, so
 * a client may connect the moment it returns.
 */
public interface Server extends AutoCloseable {

    /**
     * Binds, listens, and starts serving on threads of the server's own.
     *
     * @return the address the server listens on, with the port the system chose for port 0
     * @throws IOException if the address cannot be bound
     */
    InetSocketAddress start() throws IOException;

    /**
     * Stops serving: closes the listening socket and every connection, and returns once the
     * server's threads have ended. Closing a server twice does nothing the second time.
     */
    @Override
    void close();
}
