package org.multiplex.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import org.multiplex.continuations.Coroutine;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;
import org.multiplex.kit.zen.Zen;

/**
 * The least a continuation server can be: one selector, one {@link Coroutine} per connection,
 * and nothing else. No deadlines, no fibers' names or output, no second waiter on a channel, no
 * read that remembers the socket was emptied: lesson 5's dispatcher without its dispatcher.
 *
 * <p>The lab measures it beside {@code ContinuationZenServer} as a yardstick. What lesson 5's
 * dispatcher costs is the difference between the two; what the design costs is the difference
 * between this one and a server on callbacks.
 */
public final class BareContinuationZenServer implements Server {

    private static final int LONGEST_ANSWER = Zen.UNKNOWN.length();

    private final InetSocketAddress address;
    private final ArrayDeque<Coroutine> ready = new ArrayDeque<>();
    private Selector selector;
    private ServerSocketChannel listener;
    private Thread loop;
    private volatile boolean stopping;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public BareContinuationZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("BareContinuationZenServer", 1060, args, BareContinuationZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(address, 4096);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        loop = Thread.ofPlatform().name("bare-continuation").start(this::run);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    // tag::loop[]
    /** The whole scheduler: resume whoever is ready, then wait for the selector to say who is next. */
    private void run() {
        try {
            while (!stopping) {
                for (Coroutine c; (c = ready.poll()) != null; ) {
                    c.resume();
                }
                selector.select(key -> {
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else {
                        ready.add((Coroutine) key.attachment());
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeAll();
        }
    }

    private void acceptAll() {
        try {
            for (SocketChannel client; (client = listener.accept()) != null; ) {
                client.configureBlocking(false);
                SelectionKey key = client.register(selector, 0);
                Coroutine c = new Coroutine(() -> serve(key));
                key.attach(c);
                ready.add(c);
            }
        } catch (IOException e) {
            // Out of file descriptors, or a client gone before it was accepted: accept again later.
        }
    }
    // end::loop[]

    // tag::serve[]
    /** One client, in blocking style: each wait is a suspend until the selector says the key is ready. */
    private static void serve(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        ByteBuffer in = ByteBuffer.allocate(Zen.MAX_REQUEST_BYTES);
        try (channel) {
            while (true) {
                int n = channel.read(in);
                if (n < 0) {
                    return; // the client has gone
                }
                if (n == 0) {
                    await(key, SelectionKey.OP_READ);
                    continue;
                }
                ByteBuffer out = ByteBuffer.allocate(256);
                in.flip();
                int start = 0;
                for (int i = 0; i < in.limit(); i++) {
                    if (in.get(i) == Zen.REQUEST_END) {
                        if (out.remaining() < LONGEST_ANSWER) {
                            writeAll(key, out);
                        }
                        out.put(Zen.answer(in.array(), start, i + 1 - start));
                        start = i + 1;
                    }
                }
                in.position(start).compact();
                writeAll(key, out);
                if (!in.hasRemaining()) {
                    return; // a request longer than the protocol allows
                }
            }
        } catch (IOException e) {
            // A reset: this client is done, and the others go on.
        }
    }

    private static void writeAll(SelectionKey key, ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            if (((SocketChannel) key.channel()).write(out) == 0) {
                await(key, SelectionKey.OP_WRITE);
            }
        }
        out.clear();
    }

    /** Suspends the connection's coroutine until its key is ready for the operation. */
    private static void await(SelectionKey key, int op) {
        if (key.interestOps() != op) {
            key.interestOps(op);
        }
        Coroutine.suspend();
    }
    // end::serve[]

    /** Closes the listener, every connection and the selector; the suspended coroutines are dropped. */
    private void closeAll() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // Closed all the same.
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing left to do with it.
        }
    }

    @Override
    public synchronized void close() {
        if (loop == null || stopping) {
            return;
        }
        stopping = true;
        selector.wakeup();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
