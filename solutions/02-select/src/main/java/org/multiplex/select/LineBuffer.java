package org.multiplex.select;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One chat connection's unfinished line. A line ends with {@code "\n"} or {@code "\r\n"}; the
 * line handed out has neither.
 */
final class LineBuffer {

    private final int maxLength;
    /** Room for the longest line and the {@code '\r'} that may end it. */
    private final byte[] pending;
    private int length;

    /**
     * Makes a buffer for lines of at most {@code maxLength} bytes, terminator not counted.
     *
     * @param maxLength the longest line accepted
     */
    LineBuffer(int maxLength) {
        this.maxLength = maxLength;
        this.pending = new byte[maxLength + 1];
    }

    /**
     * Takes the bytes just read and hands every line they complete to {@code onLine}.
     *
     * @param  bytes  what one read returned, ready to be drained
     * @param  onLine called once per complete line, in order
     * @throws ProtocolException if a line grows past the maximum length
     */
    void take(ByteBuffer bytes, Consumer<String> onLine) throws ProtocolException {
        // BEGIN SOLUTION 2.5: append the bytes and hand out every line ended by \n, without its \r\n; refuse a line longer than the maximum
        // tag::take-lines[]
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n') {
                int end = length > 0 && pending[length - 1] == '\r' ? length - 1 : length;
                if (end > maxLength) {
                    throw tooLong();
                }
                onLine.accept(new String(pending, 0, end, StandardCharsets.UTF_8));
                length = 0;
            } else if (length == pending.length) {
                throw tooLong();
            } else {
                pending[length++] = b;
            }
        }
        // end::take-lines[]
        // END SOLUTION
    }

    private ProtocolException tooLong() {
        return new ProtocolException("line longer than " + maxLength + " bytes");
    }
}
