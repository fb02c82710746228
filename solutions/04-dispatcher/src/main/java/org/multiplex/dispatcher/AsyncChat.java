package org.multiplex.dispatcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A buffered dispatcher that cuts what it reads into messages at a terminator: asynchat's
 * {@code async_chat}.
 *
 * <p>The terminator is a delimiter (the bytes that end a message, as {@code "\r\n"}), a count
 * (the next n bytes are the message), or none (every byte is data). The bytes of a message go to
 * {@link #collectIncomingData} as they arrive, in as many pieces as the network delivers; the end
 * of the message calls {@link #foundTerminator()}, which may set another terminator for what
 * follows: a line of headers ended by {@code "\r\n\r\n"}, then a body of Content-Length bytes.
 *
 * <p>A delimiter may itself arrive split over two reads: the bytes at the end of a read that could
 * begin it are held back until the next read says whether they do.
 *
 * <pre>{@code
 * class Echo extends AsyncChat {
 *     private final ByteArrayOutputStream line = new ByteArrayOutputStream();
 *     Echo(DispatcherLoop loop, SocketChannel s) throws IOException {
 *         super(loop, s);
 *         setTerminator("\n".getBytes(US_ASCII));
 *     }
 *     protected void collectIncomingData(ByteBuffer data) {
 *         byte[] piece = new byte[data.remaining()];
 *         data.get(piece);
 *         line.writeBytes(piece);
 *     }
 *     protected void foundTerminator() { push(line.toByteArray()); line.reset(); }
 * }
 * }</pre>
 */
public abstract class AsyncChat extends BufferedDispatcher {

    private static final int READ_SIZE = 4096;

    /** Read bytes not yet handed on (a possible beginning of the delimiter), ready to be filled. */
    private ByteBuffer in = ByteBuffer.allocate(READ_SIZE);
    /** The delimiter, or null when the terminator is a count or none. */
    private byte[] delimiter;
    /** Bytes left of the message when the terminator is a count; 0 when it is none. */
    private long count;

    /**
     * Makes a chat dispatcher with no socket yet, and no terminator.
     *
     * @param loop the loop whose map the socket joins
     */
    protected AsyncChat(DispatcherLoop loop) {
        super(loop);
    }

    /**
     * Wraps a connected socket; there is no terminator yet.
     *
     * @param  loop      the loop whose map the socket joins
     * @param  connected the socket
     * @throws IOException if the socket cannot be made non-blocking
     */
    protected AsyncChat(DispatcherLoop loop, SocketChannel connected) throws IOException {
        super(loop, connected);
    }

    /**
     * Makes a delimiter the terminator: a message ends where these bytes appear.
     *
     * @param delimiter the bytes that end a message; at least one
     */
    public final void setTerminator(byte[] delimiter) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("an empty delimiter would end a message at every byte");
        }
        this.delimiter = delimiter.clone();
        this.count = 0;
    }

    /**
     * Makes a count the terminator: the next {@code count} bytes are the message. Once they have
     * come, there is no terminator until {@link #foundTerminator()} sets one (as in asynchat,
     * where the count falls to 0).
     *
     * @param count how many bytes the message has; 0 means no terminator
     */
    public final void setTerminator(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a negative count: " + count);
        }
        this.delimiter = null;
        this.count = count;
    }

    /** Sets no terminator, asynchat's {@code set_terminator(None)}: every byte read is data. */
    public final void clearTerminator() {
        this.delimiter = null;
        this.count = 0;
    }

    /**
     * Receives part of the current message.
     *
     * @param data the bytes, from its position to its limit; read-only, and valid only during the
     *             call: copy what you keep
     */
    protected abstract void collectIncomingData(ByteBuffer data);

    /** Called at the end of each message, after its last bytes went to collectIncomingData. */
    protected abstract void foundTerminator();

    /**
     * Sends bytes, buffering what the socket does not take now.
     *
     * @param data the bytes to send
     */
    public final void push(byte[] data) {
        send(ByteBuffer.wrap(data));
    }

    /** Reads what has arrived and cuts it at the terminators. */
    @Override
    protected void handleRead() throws IOException {
        if (!in.hasRemaining()) {
            grow(READ_SIZE);
        }
        if (recv(in) > 0) {
            in.flip();
            findTerminators(in);
            in.compact();
        }
    }

    /**
     * Handles bytes as if one read had returned them: what {@link #handleRead()} does after it
     * reads. Tests drive a chat dispatcher with no socket through it.
     *
     * @param data the bytes, from its position to its limit
     */
    void received(ByteBuffer data) {
        if (in.remaining() < data.remaining()) {
            grow(data.remaining());
        }
        in.put(data);
        in.flip();
        findTerminators(in);
        in.compact();
    }

    /**
     * Hands every byte of the buffer on: to collectIncomingData, and at each terminator to
     * foundTerminator. Leaves in the buffer only the bytes at its end that may begin the delimiter.
     *
     * @param buffer what was read, from its position to its limit
     */
    private void findTerminators(ByteBuffer buffer) {
        // BEGIN SOLUTION 4.5: until the buffer is empty (or the dispatcher closed): no terminator, collect all; a count, collect up to it and at 0 call foundTerminator(); a delimiter, collect up to it, skip it and call foundTerminator(), or else keep back a prefixAtEnd() and stop
        // tag::find-terminators[]
        while (buffer.hasRemaining() && !isClosed()) {
            if (delimiter != null) {
                int at = indexOf(buffer, delimiter);
                if (at >= 0) {
                    collect(buffer, at - buffer.position());
                    buffer.position(at + delimiter.length);
                    foundTerminator(); // it may set another terminator for what follows
                } else {
                    // The end of the buffer may be the start of a delimiter split across reads.
                    collect(buffer, buffer.remaining() - prefixAtEnd(buffer, delimiter));
                    return;
                }
            } else if (count > 0) {
                int n = (int) Math.min(count, buffer.remaining());
                collect(buffer, n);
                count -= n;
                if (count == 0) {
                    foundTerminator();
                }
            } else {
                collect(buffer, buffer.remaining()); // no terminator: every byte is data
            }
        }
        // end::find-terminators[]
        // END SOLUTION
    }

    /** Hands the next {@code n} bytes of the buffer to collectIncomingData, unless n is 0. */
    private void collect(ByteBuffer buffer, int n) {
        if (n == 0) {
            return; // asynchat never reports an empty piece: a source of subtle bugs
        }
        ByteBuffer piece = buffer.slice(buffer.position(), n).asReadOnlyBuffer();
        buffer.position(buffer.position() + n);
        collectIncomingData(piece);
    }

    /** Returns the index of the first occurrence of the delimiter in the buffer, or -1. */
    static int indexOf(ByteBuffer buffer, byte[] delimiter) {
        int last = buffer.limit() - delimiter.length;
        outer:
        for (int i = buffer.position(); i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buffer.get(i + j) != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Returns how many bytes at the end of the buffer are the beginning of the delimiter (at
     * most one fewer than it has): asynchat's {@code find_prefix_at_end}.
     */
    static int prefixAtEnd(ByteBuffer buffer, byte[] delimiter) {
        int longest = Math.min(delimiter.length - 1, buffer.remaining());
        for (int k = longest; k > 0; k--) {
            if (buffer.slice(buffer.limit() - k, k).equals(ByteBuffer.wrap(delimiter, 0, k))) {
                return k;
            }
        }
        return 0;
    }

    private void grow(int room) {
        ByteBuffer bigger = ByteBuffer.allocate(in.capacity() + room);
        in.flip();
        bigger.put(in);
        in = bigger;
    }
}
