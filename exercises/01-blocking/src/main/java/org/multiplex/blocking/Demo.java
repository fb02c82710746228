package org.multiplex.blocking;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Function;

import org.multiplex.kit.Todo;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.zen.ZenClient;

/**
 * Lesson 1's demo: a slow client and a fast one, first on the blocking server, then on the
 * threaded one.
 *
 * <p>The slow client connects first and sends half a request. The fast client then asks a whole
 * question and waits at most two seconds for the answer.
 */
public final class Demo {

    private static final Duration PATIENCE = Duration.ofSeconds(2);

    private Demo() {
    }

    /** Runs the demo on both servers. */
    public static void main(String[] args) throws IOException {
        System.out.println("A slow client sends half a request; a fast client then asks a whole one.");
        race("BlockingZenServer", BlockingZenServer::new);
        race("ThreadedZenServer", ThreadedZenServer::new);
    }

    // tag::race[]
    private static void race(String name, Function<InetSocketAddress, Server> factory) throws IOException {
        System.out.println();
        System.out.println(name + ":");
        try (Server server = factory.apply(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress address = server.start();
            try (ZenClient slow = ZenClient.connect(address)) {
                slow.send("Beautiful is better");
                System.out.println("  slow client: sent \"Beautiful is better\" and stopped typing");
                askQuickly(address);
                slow.send(" than?");
                System.out.println("  slow client: finished its request and got \"" + slow.readAnswer() + "\"");
            } catch (IOException | RuntimeException e) {
                System.out.println("  the demo failed: " + Todo.explain(e));
            }
        }
    }

    private static void askQuickly(InetSocketAddress address) throws IOException {
        try (ZenClient fast = ZenClient.connect(address, PATIENCE)) {
            long start = System.nanoTime();
            String answer = fast.ask("Simple is better than?");
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("  fast client: asked \"Simple is better than?\", got \"%s\" in %d ms%n", answer, millis);
        } catch (SocketTimeoutException e) {
            System.out.printf("  fast client: asked \"Simple is better than?\", no answer in %d s:"
                    + " the server is still waiting for the slow client%n", PATIENCE.toSeconds());
        }
    }
    // end::race[]
}
