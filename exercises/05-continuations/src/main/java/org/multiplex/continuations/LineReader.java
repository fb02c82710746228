package org.multiplex.continuations;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines from a connection in blocking style: {@link #readLine()} parks its fiber until a
 * whole line has arrived. A line ends with {@code "\n"} or {@code "\r\n"}; the line returned has
 * neither.
 */
final class LineReader {

    private final BaseRequestHandler connection;
    private final int maxLength;
    /** Bytes read and not yet returned: room for the longest line, its {@code "\r\n"}, and no more. */
    private final ByteBuffer buffer;

    LineReader(BaseRequestHandler connection, int maxLength) {
        this.connection = connection;
        this.maxLength = maxLength;
        this.buffer = ByteBuffer.allocate(maxLength + 2);
    }

    /**
     * Returns the next line, reading as much as it takes.
     *
     * @return the line, or null at the end of the stream
     * @throws ProtocolException if a line grows past the maximum length
     */
    // tag::read-line[]
    String readLine() throws IOException {
        // TODO(5.7): return the first line in the buffer if there is one; otherwise read more (null at the end of the stream) and look again; refuse a line longer than maxLength, even with its end in the buffer, and a full buffer with no line end
        throw new org.multiplex.kit.Todo("5.7", "return the first line in the buffer if there is one; otherwise read more (null at the end of the stream) and look again; refuse a line longer than maxLength, even with its end in the buffer, and a full buffer with no line end");
    }
    // end::read-line[]

    private ProtocolException tooLong() {
        return new ProtocolException("line longer than " + maxLength + " bytes");
    }
}
