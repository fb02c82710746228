package org.multiplex.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import org.multiplex.kit.Todo;

/** What the lesson's tests share: connected pairs, a loop run until something happens, CPU time. */
final class Fixtures {

    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a test waits for something the loop should do at once. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private Fixtures() {
    }

    /**
     * Two ends of one loopback connection: the server's end for a dispatcher, the client's as an
     * ordinary blocking socket, registered to close when a stub is reached.
     */
    record Pair(SocketChannel server, Socket client) implements AutoCloseable {

        static Pair open() throws IOException {
            return open(0);
        }

        /** Opens a pair whose client has small kernel buffers, or the system's when 0. */
        static Pair open(int clientBuffer) throws IOException {
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(ANY_PORT);
                Socket client = new Socket();
                Todo.closeWhenReached(client);
                if (clientBuffer > 0) {
                    client.setReceiveBufferSize(clientBuffer);
                    client.setSendBufferSize(clientBuffer);
                }
                client.connect(listener.getLocalAddress());
                client.setSoTimeout((int) PATIENCE.toMillis());
                return new Pair(listener.accept(), client);
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }

    /**
     * Runs passes of the loop, on this thread, until the condition holds; fails when it does not
     * within {@link #PATIENCE}, or when every dispatcher has closed first.
     */
    static void runUntil(DispatcherLoop loop, Condition done, String what) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.holds()) {
            if (loop.size() == 0) {
                fail("every dispatcher closed before this happened: " + what);
            }
            assertThat(System.nanoTime()).as("time left for this to happen: %s", what).isLessThan(deadline);
            loop.loop(Duration.ofMillis(20), 1);
        }
    }

    /** Something a test waits for, which may need I/O to find out. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException;
    }

    /** Returns a port on the loopback that nothing listens on: one just given out and taken back. */
    static int closedPort() throws IOException {
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return gone.getLocalPort();
        }
    }

    /** A loop running on a thread of its own until closed. */
    static final class LoopThread implements AutoCloseable {
        private final DispatcherLoop loop;
        private final Thread thread;
        private volatile Throwable died;

        LoopThread(DispatcherLoop loop) {
            this.loop = loop;
            this.thread = Thread.ofPlatform().name("test-dispatcher-loop").start(() -> {
                try {
                    loop.loop();
                } catch (IOException | RuntimeException e) {
                    died = e;
                }
            });
        }

        long threadId() {
            return thread.threadId();
        }

        /** Returns what ended the loop with an exception, if anything did. */
        Throwable died() {
            return died;
        }

        @Override
        public void close() throws IOException {
            loop.stop();
            try {
                thread.join(PATIENCE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.close();
        }
    }
}
