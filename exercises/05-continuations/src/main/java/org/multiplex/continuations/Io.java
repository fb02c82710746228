package org.multiplex.continuations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;

/**
 * What a {@link BaseRequestHandler} needs of its connection: reads and writes that look blocking,
 * and a close that wakes whoever waits on the channel.
 *
 * <p>A {@link SelectDispatcher} is one: its calls park a fiber. {@link #blocking()} is the other:
 * its calls block the thread, which is cheap when that thread is virtual. The same handler runs
 * on either, unchanged.
 */
public interface Io {

    /**
     * Reads into a buffer, waiting while the channel has nothing to give.
     *
     * @return the number of bytes read, at least one; -1 at the end of the stream; 0 only if the
     * buffer has no room
     */
    int read(SocketChannel channel, ByteBuffer buffer) throws IOException;

    /**
     * Writes the whole buffer, waiting whenever the channel can take no more.
     *
     * @return the number of bytes written
     */
    int write(SocketChannel channel, ByteBuffer buffer) throws IOException;

    /** Closes a channel; whoever waits on it is woken with an exception. */
    void close(SelectableChannel channel) throws IOException;

    /**
     * Returns plain blocking I/O, on the calling thread: what a handler uses on a virtual thread,
     * where the JDK parks the thread, not the carrier, while the channel is not ready.
     */
    static Io blocking() {
        return new Io() {
            @Override
            public int read(SocketChannel channel, ByteBuffer buffer) throws IOException {
                if (!channel.isBlocking()) {
                    channel.configureBlocking(true);
                }
                return channel.read(buffer);
            }

            @Override
            public int write(SocketChannel channel, ByteBuffer buffer) throws IOException {
                if (!channel.isBlocking()) {
                    channel.configureBlocking(true);
                }
                int total = 0;
                while (buffer.hasRemaining()) {
                    total += channel.write(buffer);
                }
                return total;
            }

            @Override
            public void close(SelectableChannel channel) throws IOException {
                channel.close();
            }
        };
    }
}
