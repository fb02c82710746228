package org.multiplex.blocking;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.Arrays;

import org.multiplex.kit.zen.Zen;

/**
 * Reads Zen requests from a blocking stream, one request at a time.
 *
 * <p>TCP delivers a stream of bytes, not messages: one read may return half a request, or three
 * requests and the start of a fourth. This class keeps the bytes that arrived but do not yet end a
 * request, and hands out exactly one request, question mark included, per call to {@link #next()}.
 */
public final class ZenRequestReader {

    private final InputStream in;
    /** Bytes read but not yet handed out live in {@code buffer[start, end)}. */
    private final byte[] buffer = new byte[Zen.MAX_REQUEST_BYTES];
    private int start;
    private int end;

    /**
     * Makes a reader over a stream, usually a socket's.
     *
     * @param in the stream to read requests from
     */
    public ZenRequestReader(InputStream in) {
        this.in = in;
    }

    /**
     * Returns the next request, blocking until it has arrived whole.
     *
     * @return the request, ending with {@code '?'}, or {@code null} if the client closed the
     *         connection cleanly, between two requests
     * @throws EOFException      if the client closed the connection in the middle of a request
     * @throws ProtocolException if a request grows past {@link Zen#MAX_REQUEST_BYTES} bytes
     * @throws IOException       if the connection fails
     */
    public byte[] next() throws IOException {
        // TODO(1.1): return the next request ending with '?', reading more bytes until one is complete
        throw new org.multiplex.kit.Todo("1.1", "return the next request ending with '?', reading more bytes until one is complete");
    }

    /** Tells a clean close from a close in the middle of a request. */
    private byte[] endOfStream() throws EOFException {
        for (int i = start; i < end; i++) {
            // A line typed into nc leaves a newline behind the last request: that is no request.
            if (!Character.isWhitespace(buffer[i])) {
                throw new EOFException("the client closed the connection in the middle of a request, after "
                        + (end - start) + " bytes");
            }
        }
        return null;
    }
}
