package org.multiplex.continuations;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

import org.multiplex.kit.net.ServerMain;

/**
 * This lesson's Zen server on one virtual thread per connection: the same {@link ZenHandler} as
 * {@link ContinuationZenServer}'s, unchanged, with blocking I/O.
 */
public final class VirtualThreadZenServer extends VirtualThreadServer {

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public VirtualThreadZenServer(InetSocketAddress address) {
        super(address);
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("VirtualThreadZenServer", 1060, args, VirtualThreadZenServer::new);
    }

    @Override
    protected BaseRequestHandler handler(Io io, SocketChannel channel) {
        return new ZenHandler(io, channel, stats, held -> { });
    }
}
