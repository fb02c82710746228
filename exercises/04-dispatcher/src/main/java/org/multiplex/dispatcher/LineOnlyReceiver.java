package org.multiplex.dispatcher;

import java.util.Arrays;

/**
 * A protocol that cuts what it receives into lines: Twisted's {@code LineOnlyReceiver}.
 *
 * <p>A line ends with the {@link #delimiter()} ({@code "\r\n"} unless a subclass says otherwise)
 * and is handed to {@link #lineReceived} without it. A line longer than {@link #maxLength()} goes
 * to {@link #lineLengthExceeded} instead, whose default ends the connection; so does a line that is
 * still unfinished and already too long, so that a client cannot make the receiver hold more than
 * that.
 */
public abstract class LineOnlyReceiver extends Protocol {

    /** The longest line accepted unless a subclass says otherwise, as in Twisted. */
    public static final int MAX_LENGTH = 16384;

    private static final byte[] CRLF = {'\r', '\n'};

    /** The start of a line whose end has not arrived yet: Twisted's {@code _buffer}. */
    private byte[] buffer = new byte[0];

    /** Returns the bytes that end a line; {@code "\r\n"} by default. */
    protected byte[] delimiter() {
        return CRLF.clone();
    }

    /** Returns the longest line accepted, delimiter not counted; {@link #MAX_LENGTH} by default. */
    protected int maxLength() {
        return MAX_LENGTH;
    }

    /**
     * Called with each complete line, in order.
     *
     * @param line the line, without its delimiter
     */
    protected abstract void lineReceived(byte[] line);

    /**
     * Called with a line longer than {@link #maxLength()}, complete or not. The default loses the
     * connection: only this client is gone.
     *
     * @param line the line, or as much of it as has arrived
     */
    protected void lineLengthExceeded(byte[] line) {
        transport.loseConnection();
    }

    /**
     * Sends a line, adding the delimiter.
     *
     * @param line the line, without a delimiter
     */
    public void sendLine(byte[] line) {
        byte[] delimiter = delimiter();
        byte[] out = Arrays.copyOf(line, line.length + delimiter.length);
        System.arraycopy(delimiter, 0, out, line.length, delimiter.length);
        transport.write(out);
    }

    /** Adds the bytes to the unfinished line and hands on every line they complete. */
    @Override
    public final void dataReceived(byte[] data) {
        // TODO(4.7): join `buffer` and data; hand each line to lineReceived (stop once the transport is disconnecting), or a too-long one to lineLengthExceeded (and stop); keep the rest, and report it too if it is too long already
        throw new org.multiplex.kit.Todo("4.7", "join `buffer` and data; hand each line to lineReceived (stop once the transport is disconnecting), or a too-long one to lineLengthExceeded (and stop); keep the rest, and report it too if it is too long already");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
