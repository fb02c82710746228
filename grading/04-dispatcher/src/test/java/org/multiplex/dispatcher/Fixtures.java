package org.multiplex.dispatcher;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the lesson's tests share: a loop run until something happens, or on a thread of its own. */
final class Fixtures {

    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /**
     * How long a test waits for something the loop should do at once: milliseconds on a correct
     * framework, even on a loaded machine, so a wait this long means it will not happen.
     */
    static final Duration PATIENCE = Duration.ofSeconds(3);

    private Fixtures() {
    }

    /**
     * Runs passes of the loop, on this thread, until the condition holds; fails when it does not
     * within {@link #PATIENCE}, or when every dispatcher has closed first.
     *
     * @param what what should happen, and the likely cause if it does not, for the failure message
     */
    static void runUntil(DispatcherLoop loop, Condition done, String what) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.holds()) {
            if (loop.size() == 0) {
                fail("every dispatcher closed (the loop's map is empty) before this happened: " + what);
            }
            if (System.nanoTime() - deadline > 0) {
                fail("ran the loop for " + PATIENCE.toSeconds() + " s and this did not happen: " + what);
            }
            loop.loop(Duration.ofMillis(20), 1);
        }
    }

    /** Returns the start of a text, for a failure message that must stay short. */
    static String shorten(Object text) {
        String s = String.valueOf(text);
        return s.length() <= 120 ? s : s.substring(0, 120) + "... (" + s.length() + " chars)";
    }

    /**
     * Fetches a URL with an {@link HttpClient} on a loop of its own, and returns once the client has
     * closed. Fails, saying what it saw and the likely cause, when the client takes no body bytes
     * for {@link #PATIENCE} while it is still open.
     *
     * @param serverDone says whether the test's server has sent all it will and closed
     */
    static HttpClient fetch(URI url, WritableByteChannel body, BooleanSupplier serverDone) throws IOException {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            HttpClient client = new HttpClient(loop, url, body);
            long seen = -1;
            long progressAt = System.nanoTime();
            while (loop.size() > 0) {
                loop.loop(Duration.ofMillis(50), 1);
                if (client.bodyBytes() != seen) {
                    seen = client.bodyBytes();
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > PATIENCE.toNanos()) {
                    fail(stalled(url, client, serverDone.getAsBoolean()));
                }
            }
            return client;
        }
    }

    private static String stalled(URI url, HttpClient client, boolean serverDone) {
        String state = String.format("status %d, Content-Length %d, %,d body bytes", client.status(),
                client.contentLength(), client.bodyBytes());
        long wait = PATIENCE.toSeconds();
        if (client.contentLength() >= 0 && client.bodyBytes() >= client.contentLength()) {
            return String.format("GET %s: the whole body came (%s), and %d s later the client was still in the"
                    + " loop's map: once the server closes, handleClose must call close(), or loop() never"
                    + " returns", url, state, wait);
        }
        if (serverDone) {
            return String.format("GET %s: the server sent its response and closed; %d s later the client was"
                    + " still in the loop's map (%s). Does handleRead take every read (empty `incoming` before"
                    + " each recv), and do handleClose and handleError call close()?", url, wait, state);
        }
        return String.format("GET %s: the response comes in many reads, and after %s the client took nothing"
                + " more for %d s while the server was still sending. Does handleRead empty `incoming` before"
                + " each recv, and hand on all it read?", url, state, wait);
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
