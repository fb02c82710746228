package org.multiplex.kit.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code main} that every server of the course shares: reads {@code --host} and
 * {@code --port}, starts the server, prints one line when it listens, and serves until the process
 * is stopped.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     ServerMain.run("BlockingZenServer", 1060, args, BlockingZenServer::new);
 * }
 * }</pre>
 */
public final class ServerMain {

    private ServerMain() {
    }

    /**
     * Parses the arguments, then starts a server and serves until the JVM is stopped.
     *
     * @param name        the name printed in the listening line and in {@code --help}
     * @param defaultPort the port used when {@code --port} is not given
     * @param args        the command-line arguments; each is split at white space, and blank
     *                    ones are ignored
     * @param factory     makes the server for an address
     */
    public static void run(String name, int defaultPort, String[] args,
                           Function<InetSocketAddress, ? extends Server> factory) {
        // Maven's -Dargs="--port 2000" arrives as one argument: split it as a shell would.
        String[] given = Arrays.stream(args).flatMap(a -> Arrays.stream(a.strip().split("\\s+")))
                .filter(a -> !a.isBlank()).toArray(String[]::new);
        int status = new CommandLine(new Options(name, defaultPort, factory))
                .setCommandName(name)
                .execute(given);
        System.exit(status);
    }

    @Command(mixinStandardHelpOptions = true, description = "Starts the server and serves until stopped.")
    private static final class Options implements Callable<Integer> {

        private final String name;
        private final Function<InetSocketAddress, ? extends Server> factory;

        @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host = "127.0.0.1";

        @Option(names = "--port", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
        int port;

        Options(String name, int defaultPort, Function<InetSocketAddress, ? extends Server> factory) {
            this.name = name;
            this.port = defaultPort;
            this.factory = factory;
        }

        @Override
        public Integer call() throws Exception {
            Server server = factory.apply(new InetSocketAddress(InetAddress.getByName(host), port));
            CountDownLatch stopped = new CountDownLatch(1);
            // Stop the server cleanly on Ctrl-C.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            InetSocketAddress bound = server.start();
            System.out.printf("%s listening on %s:%d%n", name, bound.getHostString(), bound.getPort());
            stopped.await();
            return 0;
        }
    }
}
