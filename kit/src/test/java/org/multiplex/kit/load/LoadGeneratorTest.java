package org.multiplex.kit.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.multiplex.kit.testing.SilentServer;
import org.multiplex.kit.testing.ThreadPerClientZenServer;

class LoadGeneratorTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void a_closed_loop_gets_exactly_the_answers_it_asked_for() throws IOException {
        try (ThreadPerClientZenServer server = new ThreadPerClientZenServer(ANY_PORT);
             LoadGenerator load = LoadGenerator.connect(server.start(), 20, LIMIT)) {
            assertThat(load.connected()).isEqualTo(20);
            LoadResult r = load.ask(50, 1, LIMIT);
            assertThat(r.answers()).as("answers to 20 connections x 50 requests").isEqualTo(1000);
            assertThat(r.latencies().getTotalCount()).as("latencies recorded").isEqualTo(1000);
            assertThat(r.unanswered()).isZero();
            assertThat(r.clean()).as("no wrong, lost or silent connection in %s", r).isTrue();
            // The server counts an answer after it has sent it: wait for its last count.
            await().atMost(LIMIT).untilAsserted(() ->
                    assertThat(server.stats().answeredCount()).as("requests the server answered").isEqualTo(1000));
        }
    }

    @Test
    void a_pipelined_run_keeps_many_requests_outstanding_and_checks_every_answer() throws IOException {
        try (ThreadPerClientZenServer server = new ThreadPerClientZenServer(ANY_PORT);
             LoadGenerator load = LoadGenerator.connect(server.start(), 10, LIMIT)) {
            LoadResult r = load.ask(500, 16, LIMIT);
            assertThat(r.answers()).isEqualTo(5000);
            assertThat(r.depth()).isEqualTo(16);
            assertThat(r.clean()).as("%s", r).isTrue();
        }
    }

    @Test
    void a_timed_run_ends_on_time_and_reports_only_the_measured_interval() throws IOException {
        try (ThreadPerClientZenServer server = new ThreadPerClientZenServer(ANY_PORT);
             LoadGenerator load = LoadGenerator.connect(server.start(), 5, LIMIT)) {
            long start = System.nanoTime();
            LoadResult r = load.run(1, Duration.ofMillis(200), Duration.ofMillis(500));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("warm-up 200 ms + measured 500 ms").isBetween(Duration.ofMillis(700), Duration.ofSeconds(3));
            assertThat(r.window()).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
            assertThat(r.answers()).isPositive().isLessThan(server.stats().answeredCount());
            assertThat(r.clean()).as("%s", r).isTrue();
        }
    }

    @Test
    void a_server_that_never_answers_ends_the_run_on_time_with_every_connection_silent() throws IOException {
        try (SilentServer server = new SilentServer(ANY_PORT);
             LoadGenerator load = LoadGenerator.connect(server.start(), 8, LIMIT)) {
            long start = System.nanoTime();
            LoadResult r = load.run(1, Duration.ofMillis(100), Duration.ofMillis(300));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(r.answers()).isZero();
            assertThat(r.silent()).isEqualTo(8);
            assertThat(r.unanswered()).isEqualTo(8);
            assertThat(r.latencyMicros(100)).as("the wait of a request never answered, in us").isGreaterThanOrEqualTo(300_000);
        }
    }

    @Test
    void a_wrong_answer_is_counted_and_reported_with_what_was_asked() throws IOException {
        try (ServerSocket liar = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answerEverythingWith(liar, "Pretty."));
            try (LoadGenerator load = LoadGenerator.connect((InetSocketAddress) liar.getLocalSocketAddress(), 3, LIMIT)) {
                LoadResult r = load.ask(5, 1, LIMIT);
                assertThat(r.wrongAnswers()).as("connections closed for a wrong answer").isEqualTo(3);
                assertThat(r.answers()).isZero();
                assertThat(r.firstWrong()).matches("asked \".*\\?\", expected \".*\\.\", got \"Pretty\\.\"");
                assertThat(r.clean()).isFalse();
                assertThat(load.connected()).isZero();
            }
        }
    }

    @Test
    void a_connect_phase_that_stops_making_progress_ends_early() throws IOException {
        // A listener that never accepts, with room in its queue for a connection or two.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            try (LoadGenerator load = LoadGenerator.connect((InetSocketAddress) full.getLocalSocketAddress(), 50, LIMIT)) {
                assertThat(load.connected()).isLessThan(50);
                assertThat(load.asked()).isEqualTo(50);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("connect phase").isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void refuses_an_address_that_is_not_this_machine() {
        assertThatThrownBy(() -> LoadGenerator.connect(new InetSocketAddress("192.0.2.1", 1060), 1, LIMIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    /** Accepts clients and answers every request, whatever it is, with the same words. */
    private static void answerEverythingWith(ServerSocket listener, String words) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> {
                    try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                        int b;
                        while ((b = in.read()) >= 0) {
                            if (b == '?') {
                                out.write(words.getBytes(StandardCharsets.US_ASCII));
                            }
                        }
                    } catch (IOException e) {
                        // The client went away.
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }
}
