package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import javax.net.SocketFactory;

import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.multiplex.kit.Todo;

/**
 * A server on a temporary root, with one named user, and the clients the tests talk to it with:
 * Commons Net's {@link FTPClient}, and {@link Control}, a bare control connection for what no
 * polite client sends.
 */
final class Fixture implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "secret";
    /**
     * How long a client waits for a reply, or the next bytes of a transfer, that a correct server
     * sends at once: long enough for a loaded machine, short enough that a broken server fails fast.
     */
    static final Duration PATIENCE = Duration.ofSeconds(3);

    /** The last fixture made: {@link Explained} names what its clients last sent and heard. */
    private static volatile Fixture current;

    final Path root;
    final FtpServer server;
    final InetSocketAddress address;
    /** What a Commons Net client of this fixture last sent, and the last reply it read. */
    private volatile String lastSent = "nothing";
    private volatile String lastReply = "nothing";

    Fixture(Path root) throws IOException {
        this(root, FtpServer.Config.DEFAULT_IDLE);
    }

    Fixture(Path root, Duration idle) throws IOException {
        this.root = root;
        FtpServer.Config config = FtpServer.Config.of(root, Users.of(USER, PASSWORD)).withIdle(idle);
        server = new FtpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
        address = server.start();
        current = this;
    }

    /** Says what the last Commons Net client sent and heard, for a message about a wait that ran out. */
    static String lastExchange() {
        Fixture fixture = current;
        return fixture == null ? "" : "Commons Net had sent `" + fixture.lastSent + "` and last read `" + fixture.lastReply + "`";
    }

    /** Returns a Commons Net client, connected, logged in as the named user, binary, passive. */
    FTPClient login() throws IOException {
        return login(USER, PASSWORD);
    }

    /** Returns a Commons Net client, connected and logged in, binary, passive. */
    FTPClient login(String user, String password) throws IOException {
        FTPClient client = connect();
        assertThat(client.login(user, password)).as("login as %s; the server said: %s", user, client.getReplyString())
                .isTrue();
        assertThat(client.setFileType(FTP.BINARY_FILE_TYPE)).as("TYPE I: %s", client.getReplyString()).isTrue();
        client.enterLocalPassiveMode();
        return client;
    }

    /** Returns a Commons Net client, connected and greeted, not logged in. */
    FTPClient connect() throws IOException {
        FTPClient client = new FTPClient();
        client.setSocketFactory(new ClosedWhenStubReached());
        client.addProtocolCommandListener(new ProtocolCommandListener() {
            @Override
            public void protocolCommandSent(ProtocolCommandEvent event) {
                lastSent = shorten(event.getMessage());
            }

            @Override
            public void protocolReplyReceived(ProtocolCommandEvent event) {
                lastReply = shorten(event.getMessage());
            }
        });
        client.setConnectTimeout((int) PATIENCE.toMillis());
        client.setDefaultTimeout((int) PATIENCE.toMillis());
        client.setDataTimeout(PATIENCE);
        client.connect(address.getAddress(), address.getPort());
        client.setSoTimeout((int) PATIENCE.toMillis());
        assertThat(client.getReplyCode()).as("the greeting, 220, that a new session starts with; it said: %s",
                client.getReplyString()).isEqualTo(220);
        return client;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Writes a file of pseudo-random bytes under the root. */
    static Path randomFile(Path root, String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Cuts a command or reply to a length a message can show, on one line. */
    static String shorten(String text) {
        String line = text == null ? "nothing" : text.strip().replace("\r", "").replace('\n', ' ').replace("\0", "\\0");
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }

    static void quit(FTPClient client) {
        try {
            client.logout();
            client.disconnect();
        } catch (IOException e) {
            // Gone already.
        }
    }

    /** Every socket the client opens is closed when a stub is reached: the test then fails at once. */
    private static final class ClosedWhenStubReached extends SocketFactory {
        private final SocketFactory sockets = SocketFactory.getDefault();

        private Socket track(Socket socket) {
            Todo.closeWhenReached(socket);
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return track(sockets.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return track(sockets.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return track(sockets.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return track(sockets.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return track(sockets.createSocket(host, port, local, localPort));
        }
    }

    /**
     * Reads a data connection to its end, as a client of stream mode does: the end of the file is
     * the end of the connection.
     *
     * @param what what the bytes are, for the message if they never end
     */
    static byte[] readToEnd(Socket data, String what) throws IOException {
        data.setSoTimeout((int) PATIENCE.toMillis());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = data.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(chunk)) > 0; ) {
                got.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(what + ": " + got.size() + " bytes came, then nothing for " + PATIENCE.toSeconds()
                    + " s and no end of file. In stream mode the end of the file is the end of the data connection:"
                    + " is it closed when the transfer is over?");
        }
        return got.toByteArray();
    }

    /** A bare control connection: sends any bytes, and reads replies, multi-line ones whole. */
    static final class Control implements AutoCloseable {
        /** What a message adds when the server closed the connection where a reply was due. */
        static final String CLOSED = "an exception that leaves execute ends the session: a command that fails must get"
                + " an error reply (500, 501, 550...) and the session go on";

        final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;
        /** The last command sent, as messages name it. */
        private String last = "nothing (the greeting)";

        Control(InetSocketAddress address) throws IOException {
            socket = new Socket();
            Todo.closeWhenReached(socket);
            socket.connect(address, (int) PATIENCE.toMillis());
            socket.setSoTimeout((int) PATIENCE.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        /** Connects, reads the greeting, and logs in. */
        static Control login(InetSocketAddress address, String user, String password) throws IOException {
            Control control = new Control(address);
            control.expect(220, "a session starts with the greeting 220");
            control.check("USER " + user, 331, "USER asks for the password");
            control.check("PASS " + password, 230, "the right password logs in");
            return control;
        }

        Control send(String line) throws IOException {
            return sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8), line);
        }

        /** Sends bytes; {@code what} names them in messages. */
        Control sendBytes(byte[] bytes, String what) throws IOException {
            last = shorten(what);
            out.write(bytes);
            out.flush();
            return this;
        }

        /**
         * Reads one reply, all its lines, and returns it; null if the server closed the
         * connection. Fails if none comes in time.
         */
        String reply() throws IOException {
            try {
                return read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("sent `" + last + "` and waited " + socket.getSoTimeout() / 1000.0
                        + " s: no reply came");
            }
        }

        /** Returns the reply that comes within a while, or empty if none does. */
        java.util.Optional<String> replyWithin(Duration wait) throws IOException {
            int before = socket.getSoTimeout();
            socket.setSoTimeout((int) wait.toMillis());
            try {
                return java.util.Optional.ofNullable(read());
            } catch (SocketTimeoutException e) {
                return java.util.Optional.empty();
            } finally {
                socket.setSoTimeout(before);
            }
        }

        private String read() throws IOException {
            String first = in.readLine();
            if (first == null || first.length() < 4 || first.charAt(3) != '-') {
                return first;
            }
            StringBuilder whole = new StringBuilder(first);
            String end = first.substring(0, 3) + " ";
            for (String line; (line = in.readLine()) != null; ) {
                whole.append('\n').append(line);
                if (line.startsWith(end)) {
                    break;
                }
            }
            return whole.toString();
        }

        /** Reads one reply and checks its code. */
        String expect(int code) throws IOException {
            return expect(code, "");
        }

        /**
         * Reads one reply and checks its code; a failure says what was sent, what came, and the
         * hint.
         */
        String expect(int code, String hint) throws IOException {
            String why = hint.isEmpty() ? "" : ": " + hint;
            String reply;
            try {
                reply = read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("sent `" + last + "` and waited " + socket.getSoTimeout() / 1000.0 + " s for a "
                        + code + " reply: none came" + why);
            }
            if (reply == null) {
                throw new AssertionError("sent `" + last + "`, expected a " + code + " reply; the server closed the"
                        + " connection instead" + why + (hint.isEmpty() ? ": " : ". ") + CLOSED);
            }
            if (!reply.startsWith(code + "")) {
                throw new AssertionError("sent `" + last + "`, expected a " + code + " reply, got `" + shorten(reply)
                        + "`" + why);
            }
            return reply;
        }

        /** Sends a command and checks its reply's code. */
        String check(String line, int code, String hint) throws IOException {
            return send(line).expect(code, hint);
        }

        /** Sends a command and returns the reply's code; fails if the server closes the connection instead. */
        int code(String line) throws IOException {
            String reply = send(line).reply();
            if (reply == null) {
                throw new AssertionError("sent `" + shorten(line) + "`; the server closed the connection instead of"
                        + " replying: " + CLOSED);
            }
            return Integer.parseInt(reply.substring(0, 3));
        }

        /** Checks that the server closes the connection now, with no more replies. */
        void expectEnd(String hint) throws IOException {
            String reply;
            try {
                reply = read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("after `" + last + "` the connection stayed open for "
                        + socket.getSoTimeout() / 1000.0 + " s: " + hint);
            }
            if (reply != null) {
                throw new AssertionError("after `" + last + "` came `" + shorten(reply) + "` where the connection should"
                        + " end: " + hint);
            }
        }

        /** Sends EPSV and opens the data connection it names. */
        Socket passive() throws IOException {
            String reply = send("EPSV").expect(229, "EPSV opens a passive listener and names its port");
            int port = Integer.parseInt(reply.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
            Socket data = new Socket();
            Todo.closeWhenReached(data);
            data.connect(new InetSocketAddress(socket.getInetAddress(), port), (int) PATIENCE.toMillis());
            data.setSoTimeout((int) PATIENCE.toMillis());
            return data;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
