package org.multiplex.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** What the lesson's tests share: a loop run until something happens, or on a thread of its own. */
final class Fixtures {

    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a test waits for something the loop should do at once. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private Fixtures() {
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

    /** Reads an HTTP request head, up to and with its blank line, or to the end of the stream. */
    static String readRequestHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Something a test waits for, which may need I/O to find out. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException;
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
