package org.multiplex.continuations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

import org.multiplex.kit.net.ServerMain;

/**
 * The Zen server once more, with lesson 1's code shape and lesson 3's behaviour: each connection
 * is a loop that reads and answers, as in the blocking server, and runs as a fiber on one thread.
 *
 * <p>Backpressure needs no code at all: while a write waits for a client that does not read, its
 * fiber does not read either.
 */
public final class ContinuationZenServer extends SockServer {

    private final AtomicInteger peakBufferedBytes = new AtomicInteger();

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public ContinuationZenServer(InetSocketAddress address) {
        super(address, "continuation-zen-server");
    }

    @Override
    protected BaseRequestHandler handler(SelectDispatcher dispatcher, SocketChannel channel) {
        return new ZenHandler(dispatcher, channel, stats, held -> peakBufferedBytes.accumulateAndGet(held, Math::max));
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("ContinuationZenServer", 1060, args, ContinuationZenServer::new);
    }

    /** Returns the most bytes one connection can ever hold in its buffers. */
    public static int bufferCap() {
        return ZenHandler.BUFFER_BYTES;
    }

    /** Returns the most bytes any one connection has held in its buffers so far. */
    public int peakBufferedBytes() {
        return peakBufferedBytes.get();
    }
}
