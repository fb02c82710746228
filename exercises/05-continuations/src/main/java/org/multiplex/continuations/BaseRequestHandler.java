package org.multiplex.continuations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The life of one connection, run by its own fiber: {@link #setup()}, {@link #handle()},
 * {@link #finish()}, then the channel is closed, whatever happened.
 *
 * <p>A subclass writes {@code handle} as it would for a blocking socket with a thread of its
 * own: {@link #read} and {@link #write} look blocking and park the fiber instead.
 */
public abstract class BaseRequestHandler {

    /** The connection's I/O: a {@link SelectDispatcher} whose fiber runs the handler, or blocking I/O on a thread. */
    protected final Io io;
    /** The connection, in non-blocking mode: use {@link #read} and {@link #write}, not its own methods. */
    protected final SocketChannel channel;

    /**
     * Makes a handler for a connection; it does nothing until {@link #serve()}.
     *
     * @param io      the connection's I/O: the dispatcher whose fiber will serve it, or blocking I/O
     * @param channel the connection
     */
    protected BaseRequestHandler(Io io, SocketChannel channel) {
        this.io = io;
        this.channel = channel;
    }

    /** Runs the connection's life; called in its fiber by {@link SockServer}, or on its thread. */
    public final void serve() throws Exception {
        try {
            setup();
            handle();
        } finally {
            try {
                finish();
            } finally {
                io.close(channel);
            }
        }
    }

    /** Prepares the connection; nothing by default. */
    protected void setup() throws IOException {
    }

    /** Talks with the client until the conversation is over. */
    protected abstract void handle() throws IOException;

    /** Cleans up after {@link #handle()}, even when it threw; nothing by default. */
    protected void finish() throws IOException {
    }

    /** Reads from the client as {@link Io#read} does. */
    protected int read(ByteBuffer buffer) throws IOException {
        return io.read(channel, buffer);
    }

    /** Writes the whole buffer to the client as {@link Io#write} does. */
    protected int write(ByteBuffer buffer) throws IOException {
        return io.write(channel, buffer);
    }
}
