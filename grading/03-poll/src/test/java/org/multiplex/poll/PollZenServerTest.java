package org.multiplex.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ZenServerChecks;
import org.multiplex.kit.testing.ZenServerChecks.Target;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Lesson 3: buffers, interest switching, partial writes, backpressure. */
class PollZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final List<String> QUESTIONS = Zen.questions();

    @Graded(task = "3.1", points = 3)
    @Timeout(60)
    void a_client_that_pipelines_100000_requests_before_reading_gets_every_answer_in_order() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            ZenServerChecks.answersAPipelinedFlood(new Target(address, server.stats(), server::peakBufferedBytes, PollZenServer.bufferCap()));
        }
    }

    @Graded(task = "3.1", points = 3)
    @Timeout(60)
    void stops_reading_from_a_client_that_does_not_read_its_answers() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            ZenServerChecks.stopsReadingAClientThatDoesNotRead(new Target(address, server.stats(), server::peakBufferedBytes, PollZenServer.bufferCap()));
        }
    }

    @Graded(task = "3.1", points = 2)
    void answers_a_client_that_half_closes_after_pipelining_then_closes() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            ZenServerChecks.answersAHalfCloseThenCloses(new Target(address, server.stats(), server::peakBufferedBytes, PollZenServer.bufferCap()));
        }
    }

    @Graded(task = "3.3", points = 3)
    void a_client_with_a_tiny_receive_buffer_that_reads_slowly_gets_every_byte() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            ZenServerChecks.servesASlowReaderWithATinyBuffer(new Target(address, server.stats(), server::peakBufferedBytes, PollZenServer.bufferCap()), 2048);
        }
    }

    @Graded(task = "3.3", points = 3)
    void answers_1000_concurrent_clients() throws Exception {
        int clients = 1000;
        try (PollZenServer server = new PollZenServer(ANY_PORT);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            InetSocketAddress address = server.start();
            CountDownLatch allConnected = new CountDownLatch(clients);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String question = QUESTIONS.get(i % QUESTIONS.size());
                answers.add(pool.submit(() -> {
                    try (ZenClient client = ZenClient.connect(address)) {
                        allConnected.countDown();
                        allConnected.await(20, TimeUnit.SECONDS);
                        return client.ask(question);
                    } finally {
                        allConnected.countDown();
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                String question = QUESTIONS.get(i % QUESTIONS.size());
                assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).as("answer to client %d (%s)", i, question)
                        .isEqualTo(Zen.answer(question));
            }
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }

    @Graded(task = "3.3", points = 2)
    void a_client_that_resets_in_the_middle_of_a_response_costs_nobody_else_anything() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            ZenServerChecks.shrugsOffAResetMidResponse(
                    new Target(address, server.stats(), server::peakBufferedBytes, PollZenServer.bufferCap()),
                    () -> await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.registeredKeys())
                            .as("selector keys: the listener's and the one client left").isEqualTo(2)));
        }
    }

    @Graded(task = "3.2", points = 2)
    void holds_only_the_listening_key_after_1000_connect_disconnect_cycles() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            for (int i = 0; i < 1000; i++) {
                try (ZenClient client = ZenClient.connect(address)) {
                    if (i % 2 == 0) {
                        assertThat(client.ask("Explicit is better than?")).isEqualTo("Implicit.");
                    }
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.stats().openCount())
                    .as("connections still open after 1000 clients came and went").isZero());
            try (ZenClient last = ZenClient.connect(address)) {
                // One more round trip makes the loop pass through select(), which forgets cancelled keys.
                assertThat(last.ask("Simple is better than?")).isEqualTo("Complex.");
                assertThat(server.registeredKeys()).as("selector keys with one client connected").isEqualTo(2);
            }
        }
    }

    @Graded(task = "3.2", points = 3)
    void uses_no_cpu_while_idle_nor_while_a_slow_reader_keeps_a_write_pending() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            ZenServerChecks.usesNoCpuWhileIdleNorWhileAClientDoesNotRead(new Target(address, server.stats(), server::peakBufferedBytes, PollZenServer.bufferCap()));
        }
    }

    @Graded(task = "3.2", points = 2)
    void the_books_failure_case_half_a_request_then_close_is_noticed_and_harms_no_one() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient quitter = ZenClient.connect(address)) {
                quitter.send("Beautiful is better");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.stats().leftMidRequestCount())
                    .as("clients counted as leaving mid-request").isEqualTo(1));
            try (ZenClient next = ZenClient.connect(address)) {
                assertThat(next.ask("Beautiful is better than?")).isEqualTo("Ugly.");
            }
        }
    }

    @Graded(task = "3.1")
    void closes_only_the_client_whose_request_is_too_long() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient other = ZenClient.connect(address);
                 ZenClient flooder = ZenClient.connect(address)) {
                try {
                    flooder.send("x".repeat(4 * Zen.MAX_REQUEST_BYTES));
                } catch (IOException closedWhileWriting) {
                    // The server may close before the last byte arrives: the behaviour wanted.
                }
                assertThat(flooder.serverClosed()).as("the flooder's connection was closed").isTrue();
                assertThat(other.ask("Explicit is better than?")).isEqualTo("Implicit.");
            }
        }
    }
}
