package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import javax.net.SocketFactory;

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
    /** How long a client waits for a reply the server should send at once. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    final Path root;
    final FtpServer server;
    final InetSocketAddress address;

    Fixture(Path root) throws IOException {
        this(root, FtpServer.Config.DEFAULT_IDLE);
    }

    Fixture(Path root, Duration idle) throws IOException {
        this.root = root;
        FtpServer.Config config = FtpServer.Config.of(root, Users.of(USER, PASSWORD)).withIdle(idle);
        server = new FtpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
        address = server.start();
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
        client.setConnectTimeout((int) PATIENCE.toMillis());
        client.setDefaultTimeout((int) PATIENCE.toMillis());
        client.setDataTimeout(PATIENCE);
        client.connect(address.getAddress(), address.getPort());
        client.setSoTimeout((int) PATIENCE.toMillis());
        assertThat(client.getReplyCode()).as("the greeting: %s", client.getReplyString()).isEqualTo(220);
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

    /** A bare control connection: sends any bytes, and reads replies, multi-line ones whole. */
    static final class Control implements AutoCloseable {
        final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

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
            control.expect(220);
            control.send("USER " + user).expect(331);
            control.send("PASS " + password).expect(230);
            return control;
        }

        Control send(String line) throws IOException {
            return sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        Control sendBytes(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** Reads one reply, all its lines, and returns it; null if the server closed the connection. */
        String reply() throws IOException {
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
            String reply = reply();
            assertThat(reply).as("the reply expected to start with %d", code).isNotNull().startsWith(code + "");
            return reply;
        }

        /** Sends a command and returns the reply's code. */
        int code(String line) throws IOException {
            String reply = send(line).reply();
            assertThat(reply).as("the reply to %s", line).isNotNull();
            return Integer.parseInt(reply.substring(0, 3));
        }

        /** Sends EPSV and opens the data connection it names. */
        Socket passive() throws IOException {
            String reply = send("EPSV").expect(229);
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
