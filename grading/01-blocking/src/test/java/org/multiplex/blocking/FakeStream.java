package org.multiplex.blocking;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.InputStream;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * A stream that hands a reader its bytes in pieces of sizes the test chooses, as TCP may, and never
 * blocks. It also stops a reader that would otherwise spin forever: one that asks for zero bytes
 * (its buffer is full) or reads on and on after the end of the stream.
 */
final class FakeStream extends InputStream {

    /** A correct reader may be asked again after it returned null; ten reads past the end are plenty. */
    private static final int READS_AFTER_END = 10;

    private final byte[] bytes;
    private final IntSupplier pieceSize;
    private int position;
    private int readsAfterEnd;

    private FakeStream(String text, IntSupplier pieceSize) {
        this.bytes = text.getBytes(US_ASCII);
        this.pieceSize = pieceSize;
    }

    /** Returns a stream that gives at most {@code size} bytes per read, as a slow network would. */
    static FakeStream inPieces(String text, int size) {
        return new FakeStream(text, () -> size);
    }

    /** Returns a stream that gives between 1 and 50 bytes per read, chosen by a seeded random. */
    static FakeStream randomPieces(String text, long seed) {
        Random random = new Random(seed);
        return new FakeStream(text, () -> 1 + random.nextInt(50));
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (position == bytes.length) {
            if (++readsAfterEnd > READS_AFTER_END) {
                throw new AssertionError("next() called read() again and again after it had returned -1 (the end"
                        + " of the stream): does next() stop when read() returns -1?");
            }
            return -1;
        }
        if (len == 0) {
            throw new AssertionError("next() asked read() for 0 bytes after " + position + " bytes of the stream:"
                    + " its buffer is full; does next() make room by moving the unfinished request to the front?");
        }
        int n = Math.min(Math.min(len, pieceSize.getAsInt()), bytes.length - position);
        System.arraycopy(bytes, position, b, off, n);
        position += n;
        return n;
    }
}
