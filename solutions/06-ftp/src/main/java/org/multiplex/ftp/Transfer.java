package org.multiplex.ftp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

import org.multiplex.continuations.Io;

/**
 * Moves a file's bytes over a data connection, in blocking style, the way the session's
 * {@code TYPE} and {@code MODE} say.
 *
 * <ul>
 * <li>{@code TYPE I} (image) sends the bytes as they are; {@code TYPE A} (ASCII) sends each line
 *     end as {@code "\r\n"} and stores {@code "\r\n"} as {@code "\n"}.</li>
 * <li>{@code MODE S} (stream) sends the bytes, and the end of the file is the end of the
 *     connection. {@code MODE B} (block) sends blocks, each after a header of three bytes: a
 *     descriptor, and the block's length in two; a block whose descriptor has bit 64 ends the
 *     file (RFC 959, section 3.4.2).</li>
 * </ul>
 */
final class Transfer {

    /** How a transfer codes its bytes. */
    record Form(boolean ascii, boolean block) {
    }

    static final int CHUNK = 64 * 1024;
    /** The block descriptor of the last block of a file. */
    static final int EOF_MARK = 64;
    /** The block descriptor of a restart marker, which carries no data of the file. */
    static final int RESTART_MARK = 16;
    private static final int MAX_BLOCK = 0xFFFF;

    private final Io io;
    private final SocketChannel data;
    private final Form form;

    Transfer(Io io, SocketChannel data, Form form) {
        this.io = io;
        this.data = data;
        this.form = form;
    }

    /**
     * Sends a file from an offset to its end.
     *
     * @return the number of bytes of the file sent
     */
    // tag::send[]
    long send(FileChannel file, long offset) throws IOException {
        // BEGIN SOLUTION 6.4: read the file from the offset in chunks; send each through out() (which codes it for the type and mode); end with finish(); return the file bytes sent
        ByteBuffer chunk = ByteBuffer.allocate(block() ? MAX_BLOCK / 2 : CHUNK);
        long sent = 0;
        long position = offset;
        while (true) {
            chunk.clear();
            int n = file.read(chunk, position);
            if (n < 0) {
                break;
            }
            position += n;
            sent += n;
            out(chunk.flip());
        }
        finish();
        return sent;
        // END SOLUTION
    }
    // end::send[]

    /** Sends bytes that are already in memory, a listing, as {@link #send} sends a file. */
    void send(byte[] bytes) throws IOException {
        for (int start = 0; start < bytes.length; start += MAX_BLOCK / 2) {
            out(ByteBuffer.wrap(bytes, start, Math.min(MAX_BLOCK / 2, bytes.length - start)));
        }
        finish();
    }

    /** Sends one chunk of the file, coded for the type and the mode. */
    private void out(ByteBuffer chunk) throws IOException {
        ByteBuffer coded = form.ascii() ? toNetAscii(chunk) : chunk;
        if (block()) {
            ByteBuffer header = ByteBuffer.allocate(3).put((byte) 0).putShort((short) coded.remaining()).flip();
            io.write(data, header);
        }
        io.write(data, coded);
    }

    /** Ends the file: in block mode with an empty block that says so; in stream mode, the close does it. */
    private void finish() throws IOException {
        if (block()) {
            io.write(data, ByteBuffer.wrap(new byte[] {(byte) EOF_MARK, 0, 0}));
        }
    }

    /**
     * Receives a file into a channel, from its position on, until the end of the file.
     *
     * @return the number of bytes written to the file
     */
    // tag::receive[]
    long receive(FileChannel file) throws IOException {
        // BEGIN SOLUTION 6.5: stream mode: read until the end of the stream; block mode: read each header, then its block, until a block marked EOF_MARK (skip RESTART_MARK blocks); write what arrives through store(), which undoes ASCII line ends
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long stored = 0;
        if (!block()) {
            while (io.read(data, buffer.clear()) >= 0) {
                stored += store(file, buffer.flip());
            }
            return stored + flushCarriageReturn(file);
        }
        ByteBuffer header = ByteBuffer.allocate(3);
        while (true) {
            readFully(header.clear());
            int descriptor = header.get(0) & 0xFF;
            int length = header.getShort(1) & 0xFFFF;
            buffer.clear().limit(length);
            readFully(buffer);
            if ((descriptor & RESTART_MARK) == 0) {
                stored += store(file, buffer.flip());
            }
            if ((descriptor & EOF_MARK) != 0) {
                return stored + flushCarriageReturn(file);
            }
        }
        // END SOLUTION
    }
    // end::receive[]

    private boolean block() {
        return form.block();
    }

    private void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (io.read(data, buffer) < 0) {
                throw new EOFException("the data connection ended inside a block");
            }
        }
    }

    /** A {@code '\r'} at the end of a chunk, held back in ASCII mode until the next byte says whether a {@code '\n'} follows. */
    private boolean pendingCr;

    /** Writes received bytes to the file, turning {@code "\r\n"} into {@code "\n"} in ASCII mode. */
    private int store(FileChannel file, ByteBuffer bytes) throws IOException {
        ByteBuffer local = form.ascii() ? fromNetAscii(bytes) : bytes;
        int n = local.remaining();
        while (local.hasRemaining()) {
            file.write(local);
        }
        return n;
    }

    private int flushCarriageReturn(FileChannel file) throws IOException {
        if (!pendingCr) {
            return 0;
        }
        pendingCr = false;
        file.write(ByteBuffer.wrap(new byte[] {'\r'}));
        return 1;
    }

    private ByteBuffer fromNetAscii(ByteBuffer in) {
        ByteBuffer out = ByteBuffer.allocate(in.remaining() + 1);
        if (pendingCr && in.hasRemaining() && in.get(in.position()) != '\n') {
            out.put((byte) '\r');
        }
        pendingCr = false;
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\r') {
                if (!in.hasRemaining()) {
                    pendingCr = true;
                } else if (in.get(in.position()) != '\n') {
                    out.put(b);
                }
            } else {
                out.put(b);
            }
        }
        return out.flip();
    }

    /** The last byte sent in ASCII mode: a {@code '\n'} after a {@code '\r'} is already a network line end. */
    private byte last;

    private ByteBuffer toNetAscii(ByteBuffer in) {
        ByteBuffer out = ByteBuffer.allocate(in.remaining() * 2);
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n' && last != '\r') {
                out.put((byte) '\r');
            }
            out.put(b);
            last = b;
        }
        return out.flip();
    }
}
