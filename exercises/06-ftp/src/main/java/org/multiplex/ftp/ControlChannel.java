package org.multiplex.ftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.multiplex.continuations.Io;

/**
 * The control connection of one session, in blocking style: command lines in, replies out.
 *
 * <p>A command line ends with {@code "\r\n"} (or a bare {@code "\n"}). One longer than
 * {@link #MAX_LINE} bytes is read to its end and thrown away: {@link #readLine()} returns
 * {@link #TOO_LONG} for it, and the session answers with an error and goes on. Telnet commands
 * that some clients put before {@code ABOR} (IAC IP, IAC DM) are dropped. Those clients send the
 * DM as TCP urgent data, which the socket takes out of the stream: the IAC before it is then
 * followed by the {@code A} of {@code ABOR}, which is kept.
 */
final class ControlChannel {

    /** The longest command line taken, in bytes, line end not counted. */
    static final int MAX_LINE = 4096;
    /**
     * Returned by {@link #readLine()} in place of a line that was too long. A string object of its
     * own, compared with {@code ==}: no line read is ever this very object.
     */
    static final String TOO_LONG = new String("\0too long");

    /** Telnet's "interpret as command": the byte after it is a Telnet command, not text. */
    private static final int IAC = 0xFF;
    /** The lowest Telnet command byte (SE); IP is 244, DM 242. */
    private static final int TELNET_COMMANDS = 0xF0;
    /** The lowest of the four Telnet commands (WILL, WONT, DO, DONT) followed by an option byte. */
    private static final int WILL = 0xFB;

    private final Io io;
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    private boolean overflow;
    private boolean afterIac;
    private boolean skipOption;

    ControlChannel(Io io, SocketChannel channel) {
        this.io = io;
        this.channel = channel;
        in.flip();
    }

    /**
     * Returns the next command line, reading as much as it takes.
     *
     * @return the line without its end; {@link #TOO_LONG}; or null at the end of the stream
     */
    String readLine() throws IOException {
        while (true) {
            while (in.hasRemaining()) {
                int b = in.get() & 0xFF;
                if (skipOption) {
                    skipOption = false;
                } else if (afterIac) {
                    afterIac = false;
                    if (b == IAC || b < TELNET_COMMANDS) {
                        // IAC IAC is a data byte 255. Below 240 is no Telnet command: the byte
                        // after the IAC was taken away (a sync's DM, sent as urgent data), and
                        // this one is the command's first letter.
                        append(b);
                    } else if (b >= WILL) {
                        skipOption = true; // WILL, WONT, DO, DONT: an option byte follows.
                    }
                } else if (b == IAC) {
                    afterIac = true;
                } else if (b == '\n') {
                    return take();
                } else {
                    append(b);
                }
            }
            in.clear();
            int n;
            try {
                n = io.read(channel, in);
            } finally {
                // Also when the read times out: the session reads on, and must not see the old bytes again.
                in.flip();
            }
            if (n < 0) {
                return null;
            }
        }
    }

    /** Keeps a byte of the line, up to one more than the longest line and its {@code '\r'}; drops the rest. */
    private void append(int b) {
        if (line.size() > MAX_LINE + 1) {
            overflow = true;
        } else {
            line.write(b);
        }
    }

    private String take() {
        byte[] bytes = line.toByteArray();
        line.reset();
        boolean dropped = overflow;
        overflow = false;
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (dropped || end > MAX_LINE) {
            return TOO_LONG;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Sends a one-line reply: {@code "226 Transfer complete"}. */
    void reply(int code, String text) throws IOException {
        send(code + " " + oneLine(text) + "\r\n");
    }

    /**
     * Sends a multi-line reply: the first line as {@code 211-...}, the middle ones indented by a
     * space, the last as {@code 211 ...}, as RFC 959, section 4.2, describes.
     */
    void reply(int code, List<String> lines) throws IOException {
        if (lines.size() == 1) {
            reply(code, lines.getFirst());
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append(code).append('-').append(oneLine(lines.getFirst())).append("\r\n");
        for (String middle : lines.subList(1, lines.size() - 1)) {
            text.append(' ').append(oneLine(middle)).append("\r\n");
        }
        text.append(code).append(' ').append(oneLine(lines.getLast())).append("\r\n");
        send(text.toString());
    }

    private void send(String text) throws IOException {
        io.write(channel, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A reply line may not break: a name with a line end in it must not forge a reply. */
    private static String oneLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
