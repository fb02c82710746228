package org.multiplex.kit.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

import org.multiplex.kit.Todo;
import org.multiplex.kit.chaos.Chaos;
import org.multiplex.kit.chaos.Flood;
import org.multiplex.kit.chaos.IdleCrowd;
import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * The promises every event-driven Zen server of the course keeps, from lesson 3's on, as checks
 * that a lesson's graded tests run against their own server: answers in order however requests
 * are pipelined, backpressure with bounded buffers, slow readers, half-closes, oversized requests,
 * and no CPU spent while nothing can be done.
 *
 * <p>Each check is a set of AssertJ assertions, and fails with a message that says what the
 * server did.
 */
public final class ZenServerChecks {

    private static final List<String> QUESTIONS = Zen.questions();

    /**
     * A running server, as the checks see it.
     *
     * @param address           where it listens
     * @param stats             what it has counted
     * @param peakBufferedBytes the most bytes one connection has held in its buffers so far
     * @param bufferCap         the most bytes one connection may ever hold
     */
    public record Target(InetSocketAddress address, ConnectionStats stats, IntSupplier peakBufferedBytes,
                         int bufferCap) {
    }

    private ZenServerChecks() {
    }

    /** A client that pipelines 100,000 requests before reading gets every answer, in order. */
    public static void answersAPipelinedFlood(Target server) throws IOException {
        int requests = 100_000;
        try (Flood flood = Flood.ofQuestions(server.address(), requests)) {
            flood.writeUntilBlocked();
            flood.finish();
            assertThat(flood.answers()).as("answers received, each checked in order").isEqualTo(requests);
            assertBounded(server);
        }
    }

    /**
     * A client that sends a million one-byte requests and does not read: 24 MB of answers, more
     * than any kernel buffer holds, so the server must stop reading it, or grow without bound.
     */
    public static void stopsReadingAClientThatDoesNotRead(Target server) throws IOException {
        int requests = 1_000_000;
        try (Flood flood = Flood.of(server.address(), "?", requests)) {
            long letIn = flood.writeUntilBlocked();
            assertThat(letIn).as("request bytes the server let in before it stopped reading (of %d sent); a server"
                    + " that reads while its answers wait never makes the client wait", flood.totalBytes())
                    .isLessThan(flood.totalBytes());
            assertBounded(server);
            flood.finish();
            assertThat(flood.answers()).as("answers received once the client read").isEqualTo(requests);
            assertBounded(server);
        }
    }

    /**
     * A client that sends a million requests, never reads, and resets while the server still has
     * answers for it costs nobody else anything: the server closes that one connection, and a
     * client connected all along is answered before and after.
     *
     * @param whileTheOtherIsConnected the lesson's own checks of what the server holds, run while
     *                                 the other client is still connected
     */
    public static void shrugsOffAResetMidResponse(Target server, Runnable whileTheOtherIsConnected) throws IOException {
        shrugsOffAResetMidResponse(server, ZenClient.DEFAULT_TIMEOUT, Duration.ofSeconds(5), whileTheOtherIsConnected);
    }

    /**
     * {@link #shrugsOffAResetMidResponse(Target, Runnable)}, waiting at most {@code patience} for
     * each answer and for the server to count the reset.
     */
    public static void shrugsOffAResetMidResponse(Target server, Duration patience, Runnable whileTheOtherIsConnected)
            throws IOException {
        shrugsOffAResetMidResponse(server, patience, patience, whileTheOtherIsConnected);
    }

    private static void shrugsOffAResetMidResponse(Target server, Duration patience, Duration counted,
            Runnable whileTheOtherIsConnected) throws IOException {
        try (ZenClient other = ZenClient.connect(server.address(), patience)) {
            assertThat(other.ask("Simple is better than?")).isEqualTo("Complex.");
            try (Flood rude = Flood.of(server.address(), "?", 1_000_000)) {
                rude.writeUntilBlocked();
                rude.reset();
            }
            await().atMost(counted).untilAsserted(() -> assertThat(server.stats().closedCount())
                    .as("connections closed after the reset").isEqualTo(1));
            assertThat(other.ask("Beautiful is better than?")).as("the other client's answer after the reset")
                    .isEqualTo("Ugly.");
            whileTheOtherIsConnected.run();
        }
    }

    /** {@link #shrugsOffAResetMidResponse(Target, Runnable)} with no further checks. */
    public static void shrugsOffAResetMidResponse(Target server) throws IOException {
        shrugsOffAResetMidResponse(server, () -> { });
    }

    /** A client with a 4 KiB receive buffer, reading seven bytes at a time, gets every byte. */
    public static void servesASlowReaderWithATinyBuffer(Target server) throws Exception {
        servesASlowReaderWithATinyBuffer(server, 4096);
    }

    /**
     * A client with a tiny receive buffer, reading seven bytes at a time, gets every byte.
     *
     * @param receiveBufferBytes the client's receive buffer: small, yet not below about 2 KB, or
     *                           Linux's loopback stalls for its persist timer again and again
     */
    public static void servesASlowReaderWithATinyBuffer(Target server, int receiveBufferBytes) throws Exception {
        int requests = 5_000;
        try (Socket socket = new Socket(); ExecutorService writer = Executors.newSingleThreadExecutor()) {
            socket.setReceiveBufferSize(receiveBufferBytes);
            Todo.closeWhenReached(socket);
            socket.connect(server.address());
            socket.setSoTimeout(10_000);
            Future<?> sending = writer.submit(() -> {
                for (int i = 0; i < requests; i++) {
                    socket.getOutputStream().write(QUESTIONS.get(i % QUESTIONS.size()).getBytes(US_ASCII));
                }
                return null;
            });
            InputStream in = socket.getInputStream();
            byte[] small = new byte[7];
            Flood.InOrder checker = new Flood.InOrder(i -> QUESTIONS.get(i % QUESTIONS.size()));
            while (checker.count() < requests) {
                int n = in.read(small);
                assertThat(n).as("bytes read after %d answers (-1: the server closed)", checker.count()).isPositive();
                checker.accept(small, n);
                // A slow reader: the pause is the behaviour under test, not synchronisation.
                LockSupport.parkNanos(20_000);
            }
            sending.get(10, TimeUnit.SECONDS);
        }
    }

    /** A client that pipelines, half-closes, and reads gets every answer, then the server closes. */
    public static void answersAHalfCloseThenCloses(Target server) throws IOException {
        answersAHalfCloseThenCloses(server, ZenClient.DEFAULT_TIMEOUT, Duration.ofSeconds(5));
    }

    /**
     * {@link #answersAHalfCloseThenCloses(Target)}, waiting at most {@code patience} for each read
     * and for the server to count the connection closed.
     */
    public static void answersAHalfCloseThenCloses(Target server, Duration patience) throws IOException {
        answersAHalfCloseThenCloses(server, patience, patience);
    }

    private static void answersAHalfCloseThenCloses(Target server, Duration patience, Duration counted)
            throws IOException {
        try (Socket socket = new Socket()) {
            Todo.closeWhenReached(socket);
            socket.connect(server.address());
            socket.setSoTimeout((int) patience.toMillis());
            StringBuilder sent = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                sent.append(QUESTIONS.get(i % QUESTIONS.size()));
                expected.append(Zen.answer(QUESTIONS.get(i % QUESTIONS.size())));
            }
            socket.getOutputStream().write(sent.toString().getBytes(US_ASCII));
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), US_ASCII))
                    .as("everything the server sent before closing").isEqualTo(expected.toString());
            await().atMost(counted).untilAsserted(() -> assertThat(server.stats().openCount())
                    .as("connections open once the client has left").isZero());
        }
    }

    /**
     * The server's one thread uses no CPU while nothing happens, nor while a client does not
     * read its answers.
     */
    public static void usesNoCpuWhileIdleNorWhileAClientDoesNotRead(Target server) throws Exception {
        try (ZenClient idle = ZenClient.connect(server.address());
             Flood stuck = Flood.of(server.address(), "?", 1_000_000)) {
            assertThat(idle.ask("Simple is better than?")).isEqualTo("Complex.");
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
            long loop = server.stats().threads().keySet().iterator().next();
            assertThat(cpuMillisOverOneIdleSecond(loop))
                    .as("CPU ms the server thread used in one idle second").isLessThan(100);
            stuck.writeUntilBlocked();
            assertThat(cpuMillisOverOneIdleSecond(loop))
                    .as("CPU ms the server thread used in one second while a client does not read its answers"
                            + " (waiting to write must not spin)").isLessThan(100);
        }
    }

    /**
     * A request longer than the protocol allows closes only its client; a client that leaves in
     * the middle of a request is counted; the others are served on.
     */
    public static void closesOnlyAnOversizedRequestAndCountsALeaver(Target server) throws IOException {
        closesOnlyAnOversizedRequestAndCountsALeaver(server, ZenClient.DEFAULT_TIMEOUT, Duration.ofSeconds(5));
    }

    /**
     * {@link #closesOnlyAnOversizedRequestAndCountsALeaver(Target)}, waiting at most
     * {@code patience} for each answer or close and for the server to count the leaver.
     */
    public static void closesOnlyAnOversizedRequestAndCountsALeaver(Target server, Duration patience) throws IOException {
        closesOnlyAnOversizedRequestAndCountsALeaver(server, patience, patience);
    }

    private static void closesOnlyAnOversizedRequestAndCountsALeaver(Target server, Duration patience, Duration counted)
            throws IOException {
        try (ZenClient other = ZenClient.connect(server.address(), patience);
             ZenClient flooder = ZenClient.connect(server.address(), patience)) {
            try {
                flooder.send("x".repeat(4 * Zen.MAX_REQUEST_BYTES));
            } catch (IOException closedWhileWriting) {
                // The server may close before the last byte arrives: the behaviour wanted.
            }
            assertThat(flooder.serverClosed()).as("the flooder's connection was closed").isTrue();
            try (ZenClient quitter = ZenClient.connect(server.address(), patience)) {
                quitter.send("Beautiful is better");
            }
            await().atMost(counted).untilAsserted(() -> assertThat(server.stats().leftMidRequestCount())
                    .as("clients counted as leaving mid-request").isEqualTo(1));
            assertThat(other.ask("Explicit is better than?")).isEqualTo("Implicit.");
        }
    }

    /**
     * The kit's chaos clients attack at once (byte by byte, pipelined, cut at random, half-closed,
     * not text, oversized, reset) beside 100 idle connections; every complete request gets its
     * answer, the idle connections stay, and a newcomer is answered afterwards.
     */
    public static void answersEveryCompleteRequestOfClientsThatAttackAtOnce(InetSocketAddress address)
            throws Exception {
        answersEveryCompleteRequestOfClientsThatAttackAtOnce(address, Chaos.DEFAULT_TIMEOUT);
    }

    /**
     * {@link #answersEveryCompleteRequestOfClientsThatAttackAtOnce(InetSocketAddress)}, each chaos
     * client waiting at most {@code patience} for each answer; a failure names the client that
     * failed.
     *
     * @param patience how long a chaos client waits for an answer, or for the server to close
     */
    public static void answersEveryCompleteRequestOfClientsThatAttackAtOnce(InetSocketAddress address,
            Duration patience) throws Exception {
        String requests = "Beautiful is better than?Explicit is better than?Simple is better than?";
        List<String> answers = List.of("Ugly.", "Implicit.", "Complex.");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             IdleCrowd idle = IdleCrowd.open(address, 100)) {
            Map<String, Future<?>> attacks = new LinkedHashMap<>();
            attacks.put("sending one byte per write", pool.submit(() -> assertThat(
                    Chaos.sendByteByByte(address, requests, patience))
                    .as("answers to requests sent one byte per write").isEqualTo(answers)));
            attacks.put("sending 3 requests in one write", pool.submit(() -> assertThat(
                    Chaos.pipeline(address, Zen.questions().subList(0, 3), patience))
                    .as("answers to requests sent in one write").isEqualTo(answers)));
            attacks.put("sending 60 requests cut at random places", pool.submit(() -> assertThat(
                    Chaos.fragmented(address, requests.repeat(20), 11, patience))
                    .as("answers to requests cut at random places").hasSize(60).containsSequence(answers)));
            attacks.put("half-closing after 3 requests", pool.submit(() -> assertThat(
                    Chaos.halfClose(address, requests, patience))
                    .as("what a half-closing client reads until the end").isEqualTo(String.join("", answers))));
            attacks.put("sending bytes that are not text", pool.submit(() -> assertThat(
                    Chaos.nonText(address, 5, patience))
                    .as("answer to bytes that are not text").isEqualTo(Zen.UNKNOWN)));
            attacks.put("sending a request that never ends", pool.submit(() -> assertThat(
                    Chaos.oversized(address, 8 * Zen.MAX_REQUEST_BYTES, patience).closed())
                    .as("the connection of a request that never ends is closed").isTrue()));
            attacks.put("resetting its connection", pool.submit(() -> {
                Chaos.reset(address, "Simple is", patience);
                return null;
            }));
            for (Map.Entry<String, Future<?>> attack : attacks.entrySet()) {
                String who = "beside 100 idle connections, the chaos client " + attack.getKey();
                try {
                    attack.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw new AssertionError(who + " failed (is each client served apart from the others, the idle"
                            + " ones too?): " + (cause instanceof AssertionError ? cause.getMessage()
                            : cause.getClass().getSimpleName() + ": " + cause.getMessage()), cause);
                } catch (TimeoutException e) {
                    throw new AssertionError(who + " had not finished after 30 s (is each client served apart"
                            + " from the others, the idle ones too?)", e);
                }
            }
            assertThat(idle.size()).as("idle connections held meanwhile").isEqualTo(100);
            try (ZenClient after = ZenClient.connect(address, patience)) {
                assertThat(after.ask("Simple is better than?")).as("an answer after the attacks").isEqualTo("Complex.");
            } catch (IOException e) {
                throw new AssertionError("a client that came after the chaos clients had left asked \"Simple is better"
                        + " than?\" and got no answer (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "): does the server still accept and serve new clients?", e);
            }
        }
    }

    private static void assertBounded(Target server) {
        assertThat(server.peakBufferedBytes().getAsInt()).as("bytes the server buffered for the connection, at most")
                .isLessThanOrEqualTo(server.bufferCap());
    }

    /** Returns the CPU milliseconds a thread uses during the next second, in which nothing happens. */
    public static long cpuMillisOverOneIdleSecond(long threadId) throws InterruptedException {
        var mx = ManagementFactory.getThreadMXBean();
        long before = mx.getThreadCpuTime(threadId);
        // Nothing the server should react to happens for a second: that quiet is what is measured.
        Thread.sleep(1000);
        return (mx.getThreadCpuTime(threadId) - before) / 1_000_000;
    }
}
