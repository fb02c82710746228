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
        // BEGIN SOLUTION 1.1: return the next request ending with '?', reading more bytes until one is complete
        // tag::next-request[]
        int scanned = start;
        while (true) {
            for (; scanned < end; scanned++) {
                if (buffer[scanned] == Zen.REQUEST_END) {
                    byte[] request = Arrays.copyOfRange(buffer, start, scanned + 1);
                    start = scanned + 1;
                    return request;
                }
            }
            if (end - start == buffer.length) {
                throw new ProtocolException("request longer than " + Zen.MAX_REQUEST_BYTES + " bytes");
            }
            // Make room at the end by moving the unfinished request to the front.
            if (end == buffer.length) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                scanned -= start;
                end -= start;
                start = 0;
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                return endOfStream();
            }
            end += n;
        }
        // end::next-request[]
        // END SOLUTION
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
