package org.multiplex.poll;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A fake {@link SocketChannel} for driving a {@link Connection} by hand: reads hand out a client's
 * requests a slice at a time, then the end of the stream; writes take only a few bytes each, as a
 * socket whose send buffer is nearly full does.
 *
 * <p>On Linux a socket that {@code select()} reports writable has room for a whole 2 KiB, so a
 * server that writes only when told it may seldom sees a partial write; this channel makes every
 * write partial, every time.
 */
final class TrickleChannel extends SocketChannel {

    private final ByteBuffer requests;
    private final int bytesPerRead;
    private final int bytesPerWrite;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int writes;

    /**
     * @param requests      what the client sends, then it ends its stream
     * @param bytesPerRead  the most bytes one read hands out
     * @param bytesPerWrite the most bytes one write takes
     */
    TrickleChannel(byte[] requests, int bytesPerRead, int bytesPerWrite) {
        super(SelectorProvider.provider());
        this.requests = ByteBuffer.wrap(requests);
        this.bytesPerRead = bytesPerRead;
        this.bytesPerWrite = bytesPerWrite;
    }

    /** Returns every byte written so far. */
    byte[] written() {
        return written.toByteArray();
    }

    /** Returns how many writes were made. */
    int writes() {
        return writes;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (!requests.hasRemaining()) {
            return -1;
        }
        int n = Math.min(Math.min(dst.remaining(), bytesPerRead), requests.remaining());
        dst.put(requests.slice(requests.position(), n));
        requests.position(requests.position() + n);
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new UnsupportedOperationException("a Connection reads into one buffer");
    }

    @Override
    public int write(ByteBuffer src) {
        writes++;
        int n = Math.min(src.remaining(), bytesPerWrite);
        for (int i = 0; i < n; i++) {
            written.write(src.get());
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException("a Connection writes from one buffer");
    }

    @Override
    public SocketChannel bind(SocketAddress local) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) {
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Set.of();
    }

    @Override
    public SocketChannel shutdownInput() {
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() {
        return this;
    }

    @Override
    public Socket socket() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isConnectionPending() {
        return false;
    }

    @Override
    public boolean connect(SocketAddress remote) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean finishConnect() {
        return true;
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return null;
    }

    @Override
    public SocketAddress getLocalAddress() {
        return null;
    }

    @Override
    protected void implCloseSelectableChannel() {
        // Nothing to release.
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // Neither blocks.
    }
}
