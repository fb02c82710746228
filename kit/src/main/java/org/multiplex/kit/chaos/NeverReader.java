package org.multiplex.kit.chaos;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

import org.multiplex.kit.Todo;
import org.multiplex.kit.zen.Zen;

/**
 * A client that sends requests and does not read the answers, until told to: the test of a
 * server's backpressure.
 *
 * <p>Its receive buffer is small, so the server's answers soon have nowhere to go. A blocking
 * server then blocks in its write, and an event-driven one must stop reading this client (and
 * keep serving the others) instead of buffering answers without end. Either way the server stops
 * taking bytes, the kernel's buffers fill, and {@link #floodUntilBlocked} sees the kernel refuse
 * more: it returns how many bytes were accepted. {@link #readAll} later drains the answers, and a
 * correct server then answers every request it was sent.
 *
 * <pre>{@code
 * try (NeverReader client = NeverReader.connect(address)) {
 *     long accepted = client.floodUntilBlocked("Simple is better than?");
 *     List<String> answers = client.readAll(client.requestsSent());
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class NeverReader implements AutoCloseable {

    /**
     * The receive buffer asked for before connecting, which fixes the window the server may fill;
     * the kernel may round it up.
     */
    public static final int RECEIVE_BUFFER_BYTES = 4096;

    /**
     * The send buffer asked for: small, so that the kernel refuses bytes soon after the server
     * stops reading, not after megabytes.
     */
    public static final int SEND_BUFFER_BYTES = 4096;

    /** The most bytes {@link #floodUntilBlocked(String)} sends; a server without backpressure reaches it. */
    public static final long DEFAULT_FLOOD_LIMIT = 64L * 1024 * 1024;

    /** How long the kernel must refuse every byte before the flood counts the server as stalled. */
    public static final Duration STALL = Duration.ofMillis(250);

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final Duration timeout;
    private final ByteBuffer inbound = ByteBuffer.allocate(64 * 1024).flip();
    private long requestsSent;

    private NeverReader(SocketChannel channel, Selector selector, Duration timeout) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, 0);
        this.timeout = timeout;
    }

    /**
     * Connects with small socket buffers.
     *
     * @param  server where the server listens, on loopback
     * @return the connected client, having sent nothing
     * @throws IOException if the connection fails or takes longer than {@link Chaos#DEFAULT_TIMEOUT}
     */
    public static NeverReader connect(InetSocketAddress server) throws IOException {
        return connect(server, Chaos.DEFAULT_TIMEOUT);
    }

    /**
     * Connects with small socket buffers.
     *
     * @param  server  where the server listens, on loopback
     * @param  timeout how long the connect, and each later wait for the server, may take
     * @return the connected client, having sent nothing
     * @throws IOException if the connection fails or times out
     */
    public static NeverReader connect(InetSocketAddress server, Duration timeout) throws IOException {
        Sockets.requireLoopback(server);
        Sockets.requirePositive(timeout);
        SocketChannel channel = SocketChannel.open();
        Selector selector = null;
        try {
            Todo.closeWhenReached(channel);
            // The window is agreed on during the handshake: too late to shrink once connected.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            selector = Selector.open();
            NeverReader client = new NeverReader(channel, selector, timeout);
            if (!channel.connect(server)) {
                if (!client.await(SelectionKey.OP_CONNECT, timeout)) {
                    throw new SocketTimeoutException("connecting took longer than " + Sockets.describe(timeout));
                }
                channel.finishConnect();
            }
            return client;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /**
     * Sends requests whole, waiting whenever the kernel has no room, and reads nothing.
     *
     * @param  requests one or more requests, each ending with {@code '?'}
     * @throws SocketTimeoutException if the kernel accepts no byte for the time limit
     * @throws IOException            if the connection fails
     */
    public void send(String requests) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(Sockets.bytes(requests));
        while (out.hasRemaining()) {
            if (write(out) == 0 && !await(SelectionKey.OP_WRITE, timeout)) {
                throw new SocketTimeoutException("the server took no bytes for " + Sockets.describe(timeout)
                        + "; " + out.remaining() + " bytes are still unsent");
            }
        }
    }

    /**
     * Sends copies of a request until the kernel refuses more, at most {@link #DEFAULT_FLOOD_LIMIT}
     * bytes, and returns how many bytes it accepted.
     *
     * @param  request the request to repeat, ending with {@code '?'}
     * @return the number of bytes the kernel accepted
     * @throws IOException if the connection fails, or the server is still taking bytes after the
     *                     time limit
     * @see    #floodUntilBlocked(String, long)
     */
    public long floodUntilBlocked(String request) throws IOException {
        return floodUntilBlocked(request, DEFAULT_FLOOD_LIMIT);
    }

    /**
     * Sends copies of a request until the kernel refuses more, and returns how many bytes it
     * accepted. The kernel refuses bytes once both its buffers and the server's are full, which
     * happens only when the server has stopped reading; the flood ends when no byte was accepted
     * for {@link #STALL}, or when {@code maxBytes} were sent, whichever comes first. A server that
     * answers into a buffer of its own without limit lets the flood reach {@code maxBytes}.
     *
     * <p>The last copy may be cut: {@link #requestsSent()} counts only the whole ones.
     *
     * @param  request  the request to repeat, ending with {@code '?'}
     * @param  maxBytes the most bytes to send
     * @return the number of bytes the kernel accepted, at most {@code maxBytes}
     * @throws SocketTimeoutException if the server is still taking bytes after the time limit
     * @throws IOException            if the connection fails
     */
    public long floodUntilBlocked(String request, long maxBytes) throws IOException {
        byte[] one = Sockets.bytes(request);
        if (one.length == 0) {
            throw new IllegalArgumentException("the request to repeat is empty");
        }
        // Many copies per write, so that flooding costs few system calls.
        int copies = Math.max(1, 64 * 1024 / one.length);
        ByteBuffer copiesBuffer = ByteBuffer.allocate(copies * one.length);
        for (int i = 0; i < copies; i++) {
            copiesBuffer.put(one);
        }
        copiesBuffer.flip();
        long sent = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sent < maxBytes) {
            if (!copiesBuffer.hasRemaining()) {
                copiesBuffer.rewind();
            }
            copiesBuffer.limit((int) Math.min(copiesBuffer.capacity(), copiesBuffer.position() + (maxBytes - sent)));
            int n = write(copiesBuffer);
            copiesBuffer.limit(copiesBuffer.capacity());
            sent += n;
            if (n == 0 && !await(SelectionKey.OP_WRITE, STALL)) {
                return sent;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("the server was still taking bytes after " + Sockets.describe(timeout)
                        + ", " + sent + " bytes in");
            }
        }
        return sent;
    }

    /** Returns how many whole requests the kernel has accepted so far: the answers the server owes. */
    public int requestsSent() {
        return (int) Math.min(requestsSent, Integer.MAX_VALUE);
    }

    /**
     * Reads answers, at last: returns once a number of them have arrived.
     *
     * @param  answers how many answers to read, usually {@link #requestsSent()}
     * @return the answers, in the order they arrived
     * @throws EOFException           if the server closes the connection first
     * @throws SocketTimeoutException if the server sends nothing for the time limit
     * @throws IOException            if the connection fails
     */
    public List<String> readAll(int answers) throws IOException {
        Answers read = new Answers();
        while (read.count() < answers) {
            if (!inbound.hasRemaining()) {
                inbound.clear();
                int n = channel.read(inbound);
                inbound.flip();
                if (n < 0) {
                    throw new EOFException("the server closed the connection before " + answers + " answers; "
                            + read.soFar());
                }
                if (n == 0 && !await(SelectionKey.OP_READ, timeout)) {
                    throw Answers.timedOut(read, answers, timeout, null);
                }
            }
            // Answers past the last one wanted stay in the buffer for the next call.
            while (inbound.hasRemaining() && read.count() < answers) {
                read.add(inbound.get());
            }
        }
        return read.complete();
    }

    /**
     * Closes the connection. Answers left unread make the kernel reset it, and the server sees a
     * reset rather than an end of stream.
     */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            selector.close();
        }
    }

    /** Writes what the kernel takes now, counting the whole requests among it. */
    private int write(ByteBuffer out) throws IOException {
        int from = out.position();
        int n = channel.write(out);
        for (int i = from; i < from + n; i++) {
            if (out.get(i) == Zen.REQUEST_END) {
                requestsSent++;
            }
        }
        return n;
    }

    /**
     * Waits until the channel is ready for one operation.
     *
     * @return true if ready, false if the time limit passed first
     */
    private boolean await(int operation, Duration limit) throws IOException {
        key.interestOps(operation);
        try {
            long deadline = System.nanoTime() + limit.toNanos();
            for (long left = limit.toMillis(); left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                // select may return early with nothing ready (a wakeup); only the deadline ends the wait.
                if (selector.select(left) > 0) {
                    selector.selectedKeys().clear();
                    return true;
                }
            }
            return false;
        } finally {
            key.interestOps(0);
        }
    }
}
