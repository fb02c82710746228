package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.Todo;
import org.multiplex.kit.chaos.Flood;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ZenServerChecks;
import org.multiplex.kit.testing.ZenServerChecks.Target;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Task 4.4: the Zen server on DispatcherZenServer's framework keeps every promise of lesson 3. */
class DispatcherZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a check that a correct server passes in a few seconds may run, even on a loaded machine. */
    private static final Duration CHECK_LIMIT = Duration.ofSeconds(20);
    /** How long a flood waits for its next answer before it fails: a correct server never pauses so long. */
    private static final Duration STALL = Duration.ofSeconds(5);

    /**
     * Runs a check against a server just started, then checks that one thread did all its work. A
     * failure says what the check did first, then what it saw, then the likely cause.
     *
     * @param did   what the check does, for the failure message
     * @param cause the likely cause of a failure, in the lesson's words
     */
    private static void check(Check check, String did, String cause) throws Exception {
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            Target target = new Target(address, server.stats(), server::peakBufferedBytes, DispatcherZenServer.bufferCap());
            try {
                assertTimeoutPreemptively(CHECK_LIMIT, () -> check.run(target),
                        () -> did + ": not done after " + CHECK_LIMIT.toSeconds() + " s. " + cause);
            } catch (AssertionError e) {
                String saw = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
                if (saw.startsWith(did)) {
                    throw e;
                }
                throw new AssertionError(did + ": " + Fixtures.shorten(saw) + ". " + cause, e);
            }
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }

    @FunctionalInterface
    private interface Check {
        void run(Target server) throws Exception;
    }

    /**
     * Reads and checks every answer of a flood, as {@link Flood#finish()} does, and fails as soon as
     * no answer has come for {@link #STALL}: a server that stopped answering fails in seconds.
     */
    private static void finishWatched(Flood flood, int requests, String did, String cause) throws Exception {
        try (ExecutorService reader = Executors.newSingleThreadExecutor()) {
            Future<?> finishing = reader.submit(() -> {
                flood.finish();
                return null;
            });
            int seen = -1;
            long progressAt = System.nanoTime();
            while (true) {
                try {
                    finishing.get(100, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException stillReading) {
                    int answered = flood.answers();
                    if (answered != seen) {
                        seen = answered;
                        progressAt = System.nanoTime();
                    } else if (System.nanoTime() - progressAt > STALL.toNanos()) {
                        flood.close(); // ends finish() on the reader's thread
                        fail("%s: %,d of %,d answers came, then none for %d s. %s", did, answered, requests,
                                STALL.toSeconds(), cause);
                    }
                } catch (ExecutionException e) {
                    fail("%s: after %,d of %,d answers, %s. %s", did, flood.answers(), requests,
                            Fixtures.shorten(String.valueOf(e.getCause().getMessage()).replaceAll("\\s+", " ")), cause);
                }
            }
        }
    }

    /**
     * Waits until the server's loop has run no pass for a moment: after a client stops reading, a
     * correct server goes on until the kernel's buffers are full, then waits. A loop that spins
     * never settles; the wait then ends at {@link Fixtures#PATIENCE}, and the measure that follows
     * fails.
     */
    private static void settle(DispatcherZenServer server) {
        long deadline = System.nanoTime() + Fixtures.PATIENCE.toNanos();
        long seen = server.passes();
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(300_000_000L); // a quiet moment is what is awaited: no event to wait on
            long now = server.passes();
            if (now == seen) {
                return;
            }
            seen = now;
        }
    }

    private static void assertBounded(DispatcherZenServer server, String did) {
        assertThat(server.peakBufferedBytes()).withFailMessage("%s: the server held %,d bytes for one connection,"
                + " more than its cap of %,d: is ZenConnection readable() only while no answers wait?", did,
                server.peakBufferedBytes(), DispatcherZenServer.bufferCap())
                .isLessThanOrEqualTo(DispatcherZenServer.bufferCap());
    }

    @Graded(task = "4.4", points = 2)
    @Timeout(60)
    void a_client_that_pipelines_100000_requests_before_reading_gets_every_answer_in_order() throws Exception {
        int requests = 100_000;
        String did = "a client pipelined 100,000 requests, then read";
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT);
             Flood flood = Flood.ofQuestions(server.start(), requests)) {
            flood.writeUntilBlocked();
            finishWatched(flood, requests, did, "Does handleRead answer and send again while the socket took every"
                    + " answer and a complete request is left, and does handleWrite answer what waited for room?");
            assertBounded(server, did);
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }

    @Graded(task = "4.4", points = 3)
    @Timeout(60)
    void stops_reading_from_a_client_that_does_not_read_its_answers() throws Exception {
        int requests = 400_000; // 9.6 MB of answers: more than the kernels' buffers hold
        String did = "a client sent 400,000 one-byte requests (9.6 MB of answers) without reading";
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT);
             Flood flood = Flood.of(server.start(), "?", requests)) {
            long letIn = flood.writeUntilBlocked();
            assertThat(letIn).withFailMessage("%s: the server read all %,d bytes, and never made the client wait: is"
                    + " ZenConnection readable() only while no answers wait (buffered() == 0)? That is the"
                    + " backpressure.", did, letIn).isLessThan(flood.totalBytes());
            assertBounded(server, did);
            finishWatched(flood, requests, did + ", then read", "Once the client reads, the answers that waited go"
                    + " out and reading starts again: is ZenConnection readable() only while no answers wait, and"
                    + " does handleRead answer and send again while a complete request is left?");
            assertBounded(server, did);
        }
    }

    @Graded(task = "4.4", points = 2)
    void a_client_with_a_tiny_receive_buffer_that_reads_slowly_gets_every_byte() throws Exception {
        check(ZenServerChecks::servesASlowReaderWithATinyBuffer,
                "a client with a 4 KiB receive buffer read its answers 7 bytes at a time",
                "Does the connection stay writable() while answers wait, and answer what waited once room is made?");
    }

    @Graded(task = "4.4", points = 2)
    void answers_a_client_that_half_closes_after_pipelining_then_closes() throws Exception {
        check(ZenServerChecks::answersAHalfCloseThenCloses, "a client pipelined 500 requests and half-closed",
                "Every request read before the end of the stream is answered, then the connection closes: does"
                        + " handleRead stop at recv's -1 only after answering what it read?");
    }

    @Graded(task = "4.4", points = 2)
    void uses_no_cpu_while_idle_nor_while_a_client_does_not_read_its_answers() throws Exception {
        String cause = "A loop that wakes for nothing spins: is ZenConnection readable() only while no answers wait,"
                + " and writable() only while they do?";
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient idle = ZenClient.connect(address, Fixtures.PATIENCE);
                 Flood stuck = Flood.of(address, "?", 400_000)) {
                try {
                    assertThat(idle.ask("Simple is better than?")).as("answer to one request").isEqualTo("Complex.");
                } catch (SocketTimeoutException e) {
                    fail("a client asked one question and no answer came within %d s", Fixtures.PATIENCE.toSeconds());
                }
                assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
                long loop = server.stats().threads().keySet().iterator().next();
                // Passes count spinning however loaded the machine is; CPU time, on a quiet one.
                long before = server.passes();
                long cpu = ZenServerChecks.cpuMillisOverOneIdleSecond(loop);
                long passes = server.passes() - before;
                assertThat(passes).withFailMessage("with one idle client, the server's loop ran %,d passes in one"
                        + " second: it spins. %s", passes, cause).isLessThanOrEqualTo(10);
                assertThat(cpu).withFailMessage("with one idle client, the server's loop used %d ms of CPU in one"
                        + " second: it spins. %s", cpu, cause).isLessThan(100);

                stuck.writeUntilBlocked();
                settle(server);
                before = server.passes();
                cpu = ZenServerChecks.cpuMillisOverOneIdleSecond(loop);
                passes = server.passes() - before;
                assertThat(passes).withFailMessage("while a client does not read its answers, the server's loop ran"
                        + " %,d passes in one second: it spins, waiting to read or write what it cannot. %s", passes,
                        cause).isLessThanOrEqualTo(50);
                assertThat(cpu).withFailMessage("while a client does not read its answers, the server's loop used %d"
                        + " ms of CPU in one second: it spins. %s", cpu, cause).isLessThan(100);
            }
        }
    }

    @Graded(task = "4.4", points = 1)
    void closes_only_the_client_whose_request_is_too_long_and_counts_one_that_left_mid_request() throws Exception {
        check(ZenServerChecks::closesOnlyAnOversizedRequestAndCountsALeaver,
                "a client sent a request longer than " + Zen.MAX_REQUEST_BYTES + " bytes, another left mid-request",
                "A request too long throws from answerWhatFits, and handleError closes only that client.");
    }

    @Graded(task = "4.4", points = 2)
    void answers_every_request_of_one_write_whose_answers_outgrow_the_outgoing_buffer() throws Exception {
        int requests = 2000; // 2,000 bytes, one read; 48,000 bytes of answers, far more than the 2 KiB buffer
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT); Socket client = new Socket()) {
            Todo.closeWhenReached(client);
            client.connect(server.start());
            client.setSoTimeout((int) Fixtures.PATIENCE.toMillis());
            client.getOutputStream().write("?".repeat(requests).getBytes(US_ASCII));
            byte[] expected = Zen.UNKNOWN.repeat(requests).getBytes(US_ASCII);
            byte[] got = new byte[expected.length];
            InputStream in = client.getInputStream();
            int n = 0;
            try {
                while (n < got.length) {
                    int r = in.read(got, n, got.length - n);
                    assertThat(r).withFailMessage("the server closed after %d of %d answers", n / Zen.UNKNOWN.length(),
                            requests).isPositive();
                    n += r;
                }
            } catch (SocketTimeoutException e) {
                fail("a client sent %d requests in one write and waited %d s: %d answers came. The requests that"
                        + " did not fit the outgoing buffer wait in `in`, and no read event will come for them: does"
                        + " handleRead answer and send again (answerWhatFits, initiateSend) while the socket took"
                        + " every answer and a complete request is left?", requests, Fixtures.PATIENCE.toSeconds(),
                        n / Zen.UNKNOWN.length());
            }
            assertThat(new String(got, US_ASCII)).as("the answers to 2000 requests sent in one write, in order").isEqualTo(new String(expected, US_ASCII));
        }
    }
}
