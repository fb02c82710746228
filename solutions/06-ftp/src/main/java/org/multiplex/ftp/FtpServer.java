package org.multiplex.ftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.multiplex.continuations.BaseRequestHandler;
import org.multiplex.continuations.SelectDispatcher;
import org.multiplex.continuations.SockServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An FTP server on lesson 5's dispatcher: every session, its control connection and its data
 * connections, is a fiber on one thread, written as if it had a thread of its own. McMillan's
 * FTPServer, the seed's demonstration of SelectDispatcher, in Java.
 *
 * <p>It speaks RFC 959 with the extensions clients expect today: EPSV and EPRT (RFC 2428),
 * SIZE, MDTM, REST and MLSD (RFC 3659), and UTF-8 names. It serves one folder and nothing outside
 * it, and it opens data connections to the client's own address only.
 */
public final class FtpServer extends SockServer {

    /**
     * What a server serves, and to whom.
     *
     * @param root  the folder served; clients see it as {@code /}
     * @param users who may log in
     * @param idle  how long a control connection may stay silent before it is closed
     */
    public record Config(RootFolder root, Users users, Duration idle) {

        /** The default idle time of a control connection: five minutes. */
        public static final Duration DEFAULT_IDLE = Duration.ofMinutes(5);

        /** Serves a folder to some users, with the default idle time. */
        public static Config of(Path root, Users users) throws IOException {
            return new Config(new RootFolder(root), users, DEFAULT_IDLE);
        }

        /** Returns the same, with another idle time. */
        public Config withIdle(Duration timeout) {
            return new Config(root, users, timeout);
        }
    }

    private final Config config;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     * @param config  what to serve, and to whom
     */
    public FtpServer(InetSocketAddress address, Config config) {
        super(address, "ftp-server");
        this.config = config;
    }

    @Override
    protected BaseRequestHandler handler(SelectDispatcher dispatcher, SocketChannel channel) throws IOException {
        return new FtpSession(dispatcher, channel, config, stats);
    }

    /**
     * Runs the server: {@code --port} (default 2121), {@code --host}, {@code --root} (default: a new
     * temporary folder), {@code --users} (default: anonymous only), {@code --idle} (seconds).
     */
    public static void main(String[] args) {
        // Maven's -Dargs="--port 2121 --root /tmp/ftp" arrives as one argument: split it as a shell would.
        String[] given = java.util.Arrays.stream(args).flatMap(a -> java.util.Arrays.stream(a.strip().split("\\s+")))
                .filter(a -> !a.isBlank()).toArray(String[]::new);
        System.exit(new CommandLine(new Main()).execute(given));
    }

    @Command(name = "FtpServer", mixinStandardHelpOptions = true,
            description = "Serves a folder over FTP until stopped.")
    private static final class Main implements Callable<Integer> {

        @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host = "127.0.0.1";

        @Option(names = "--port", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
        int port = 2121;

        @Option(names = "--root", description = "The folder to serve; clients see it as /. Without it, a new temporary folder.")
        Path root;

        @Option(names = "--users", description = "A properties file of user=password lines; without it, only anonymous.")
        Path users;

        @Option(names = "--idle", description = "Seconds a silent control connection is kept (default: ${DEFAULT-VALUE}).")
        long idleSeconds = Config.DEFAULT_IDLE.toSeconds();

        @Override
        public Integer call() throws Exception {
            if (root == null) {
                // Something to list and fetch at once: a fresh folder with one file in it.
                root = java.nio.file.Files.createTempDirectory("multiplex-ftp");
                java.nio.file.Files.writeString(root.resolve("hello.txt"), "Hello from the Multiplex FTP server.\n");
            }
            Config config = new Config(new RootFolder(root), users == null ? Users.of() : Users.read(users),
                    Duration.ofSeconds(idleSeconds));
            FtpServer server = new FtpServer(new InetSocketAddress(InetAddress.getByName(host), port), config);
            CountDownLatch stopped = new CountDownLatch(1);
            // Stop the server cleanly on Ctrl-C.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            InetSocketAddress bound = server.start();
            System.out.printf("FtpServer listening on %s:%d, serving %s%n", bound.getHostString(), bound.getPort(),
                    config.root().path());
            stopped.await();
            return 0;
        }
    }
}
