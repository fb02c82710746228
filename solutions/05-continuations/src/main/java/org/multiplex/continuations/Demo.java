package org.multiplex.continuations;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.multiplex.kit.Todo;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * Lesson 5's demo: fibers that take turns, sleep, time out and crash alone on one thread, then
 * the Zen server written in blocking style, serving a crowd on that thread, and a client fiber.
 */
public final class Demo {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Demo() {
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        try {
            fibers();
            zen();
        } catch (IOException | RuntimeException e) {
            System.out.println("The demo failed: " + Todo.explain(e));
        }
    }

    private static void fibers() throws IOException {
        System.out.println("Fibers on one thread, in debug mode (each line after its fiber's id):");
        SelectDispatcher dispatcher = new SelectDispatcher().output(Fiber.Output.DEBUG);
        for (String name : List.of("ping", "pong")) {
            dispatcher.start(name, () -> {
                for (int i = 1; i <= 2; i++) {
                    dispatcher.out().println(name + " " + i);
                    dispatcher.yield();
                }
            });
        }
        dispatcher.start("sleeper", () -> {
            dispatcher.sleep(Duration.ofMillis(50));
            dispatcher.out().println("woke after 50 ms");
        });
        dispatcher.start("impatient reader", () -> {
            try (ServerSocketChannel silent = ServerSocketChannel.open().bind(ANY_PORT);
                 SocketChannel channel = SocketChannel.open()) {
                dispatcher.connect(channel, silent.getLocalAddress());
                dispatcher.timeout(Duration.ofMillis(100));
                dispatcher.read(channel, ByteBuffer.allocate(16));
            } catch (SocketTimeoutException e) {
                dispatcher.out().println("caught: " + e.getMessage());
            }
        });
        dispatcher.start("crasher", () -> {
            throw new IllegalStateException("this fiber fails; the others carry on");
        });
        dispatcher.onFailure(fiber -> System.out.printf(" %04X failed: %s%n", fiber.id(),
                fiber.failure().orElseThrow().getMessage()));
        dispatcher.run();
    }

    private static void zen() throws IOException {
        System.out.println();
        System.out.println("ContinuationZenServer, blocking-style handlers on one thread:");
        try (ContinuationZenServer server = new ContinuationZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            // A hundred clients each pipeline three requests before reading a single answer.
            int answered = ZenClient.crowd(address, 100, Zen.questions().subList(0, 3));
            System.out.printf("  %d clients, %d of %d pipelined requests answered in order, by %d thread(s): %s%n",
                    100, answered, 3 * 100, server.stats().threads().size(), server.stats().threads().values());

            System.out.println("A client fiber asks the server, with connect, write and read:");
            SelectDispatcher dispatcher = new SelectDispatcher();
            dispatcher.start("client", () -> {
                try (SocketChannel channel = SocketChannel.open()) {
                    dispatcher.connect(channel, address);
                    dispatcher.write(channel, ByteBuffer.wrap("Simple is better than?".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer answer = ByteBuffer.allocate(64);
                    while (answer.position() == 0 || answer.get(answer.position() - 1) != Zen.ANSWER_END) {
                        if (dispatcher.read(channel, answer) < 0) {
                            break;
                        }
                    }
                    dispatcher.out().println("Simple is better than? "
                            + new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII));
                }
            });
            dispatcher.run();
        }
    }
}
