package org.multiplex.dispatcher;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Makes a {@link Protocol} for each connection, and holds what those protocols share (the seed's
 * {@code ChatFactory} keeps the list of clients): Twisted's {@code Factory}.
 */
public abstract class Factory {

    /**
     * Makes the protocol of a new connection.
     *
     * @param  addr the address of the other end
     * @return the protocol, or null to refuse the connection (it is closed)
     */
    public abstract Protocol buildProtocol(InetSocketAddress addr);

    /**
     * Returns a factory that makes a new protocol of one kind for each connection: Twisted's
     * {@code Factory.forProtocol}.
     *
     * @param protocol makes a protocol
     */
    public static Factory forProtocol(Supplier<? extends Protocol> protocol) {
        return new Factory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress addr) {
                return protocol.get();
            }
        };
    }
}
