package org.multiplex.dispatcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A dispatcher whose {@link #send} never loses a byte: what the socket does not take now waits in
 * an outgoing buffer, and the dispatcher is {@link #writable()} until it has all gone. asyncore's
 * {@code dispatcher_with_send}.
 *
 * <p>The buffer grows as needed. A subclass that must bound what it holds checks
 * {@link #buffered()} before it sends more, and stops reading (answers false from
 * {@link #readable()}) while too much waits: that is backpressure.
 */
public class BufferedDispatcher extends Dispatcher {

    private static final int DEFAULT_CAPACITY = 4096;

    private final int initialCapacity;
    /** Bytes not yet sent, ready to be filled: they run from 0 to the position. */
    private ByteBuffer out;
    private boolean closeWhenDone;

    /**
     * Makes a dispatcher with no socket yet.
     *
     * @param loop the loop whose map the socket joins
     */
    protected BufferedDispatcher(DispatcherLoop loop) {
        super(loop);
        this.initialCapacity = DEFAULT_CAPACITY;
        this.out = ByteBuffer.allocate(initialCapacity);
    }

    /**
     * Wraps a connected socket.
     *
     * @param  loop            the loop whose map the socket joins
     * @param  connected       the socket
     * @param  initialCapacity the outgoing buffer's first size, in bytes
     * @throws IOException if the socket cannot be made non-blocking
     */
    protected BufferedDispatcher(DispatcherLoop loop, SocketChannel connected, int initialCapacity) throws IOException {
        super(loop, connected);
        this.initialCapacity = initialCapacity;
        this.out = ByteBuffer.allocate(initialCapacity);
    }

    /**
     * Wraps a connected socket.
     *
     * @param  loop      the loop whose map the socket joins
     * @param  connected the socket
     * @throws IOException if the socket cannot be made non-blocking
     */
    protected BufferedDispatcher(DispatcherLoop loop, SocketChannel connected) throws IOException {
        this(loop, connected, DEFAULT_CAPACITY);
    }

    /**
     * Adds bytes to the outgoing buffer and sends what the socket takes now.
     *
     * @param  data the bytes, from its position; all of them are taken
     * @return how many bytes were taken: all of them
     */
    @Override
    public int send(ByteBuffer data) {
        int n = data.remaining();
        queue(data);
        initiateSend();
        return n;
    }

    /**
     * Adds bytes to the outgoing buffer without trying to send them now: the loop sends them at
     * the next write event. Handlers that produce many small pieces use this, and leave the
     * system calls to the loop.
     *
     * @param data the bytes, from its position; all of them are taken
     */
    protected final void queue(ByteBuffer data) {
        if (out.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * out.capacity(), out.position() + data.remaining()));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        out.put(data);
    }

    /**
     * Sends what the socket takes from the front of the outgoing buffer, and keeps the rest. Once
     * the buffer is empty after {@link #closeWhenDone()}, delivers {@link #handleClose()}.
     */
    protected final void initiateSend() {
        // TODO(4.3): unless still connecting, send what the socket takes from the front of `out` (with super.send) and keep the rest; once empty after closeWhenDone(), deliverClose()
        throw new org.multiplex.kit.Todo("4.3", "unless still connecting, send what the socket takes from the front of `out` (with super.send) and keep the rest; once empty after closeWhenDone(), deliverClose()");
    }

    /** Sends what the socket takes now. */
    @Override
    protected void handleWrite() throws IOException {
        initiateSend();
    }

    /**
     * Wants write events while connecting (the connect is a write event), while bytes wait, and
     * after {@link #closeWhenDone()} until the close.
     *
     * @return true while the socket connects, bytes wait to be sent, or a close is due
     */
    @Override
    protected boolean writable() {
        // TODO(4.3): writable while the socket is not yet connected, while bytes wait in `out`, or while a closeWhenDone() is due
        throw new org.multiplex.kit.Todo("4.3", "writable while the socket is not yet connected, while bytes wait in `out`, or while a closeWhenDone() is due");
    }

    /**
     * Closes the connection once everything sent so far has gone: asynchat's
     * {@code close_when_done}. The close comes as {@link #handleClose()}, whose default closes.
     */
    public void closeWhenDone() {
        closeWhenDone = true;
        initiateSend();
    }

    /** Returns how many bytes wait in the outgoing buffer. */
    public final int buffered() {
        return out.position();
    }
}
