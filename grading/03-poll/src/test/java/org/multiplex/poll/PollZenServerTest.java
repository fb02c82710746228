package org.multiplex.poll;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.Todo;
import org.multiplex.kit.chaos.Flood;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Lesson 3: buffers, interest switching, partial writes, backpressure. */
class PollZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final List<String> QUESTIONS = Zen.questions();

    @Graded(task = "3.1", points = 3)
    @Timeout(60)
    void a_client_that_pipelines_100000_requests_before_reading_gets_every_answer_in_order() throws Exception {
        int requests = 100_000;
        try (PollZenServer server = new PollZenServer(ANY_PORT);
             Flood flood = Flood.ofQuestions(server.start(), requests)) {
            flood.writeUntilBlocked();
            flood.finish();

            assertThat(flood.answers()).as("answers received, each checked in order").isEqualTo(requests);
            assertThat(server.peakBufferedBytes()).as("bytes the server buffered for the connection, at most")
                    .isLessThanOrEqualTo(PollZenServer.bufferCap());
        }
    }

    @Graded(task = "3.1", points = 3)
    @Timeout(60)
    void stops_reading_from_a_client_that_does_not_read_its_answers() throws Exception {
        // A million one-byte requests, each answered with 24 bytes: 24 MB of answers, more than
        // any kernel buffer holds, so the server must stop reading or grow without bound.
        int requests = 1_000_000;
        try (PollZenServer server = new PollZenServer(ANY_PORT);
             Flood flood = Flood.of(server.start(), "?", requests)) {
            long letIn = flood.writeUntilBlocked();
            assertThat(letIn)
                    .as("request bytes the server let in before it stopped reading (of %d sent); a server that"
                            + " keeps reading while its answers wait never makes the client wait", flood.totalBytes())
                    .isLessThan(flood.totalBytes());
            assertThat(server.peakBufferedBytes()).as("bytes the server buffered for the connection")
                    .isLessThanOrEqualTo(PollZenServer.bufferCap());

            flood.finish();

            assertThat(flood.answers()).as("answers received once the client read").isEqualTo(requests);
            assertThat(server.peakBufferedBytes()).as("bytes the server buffered for the connection, at most")
                    .isLessThanOrEqualTo(PollZenServer.bufferCap());
        }
    }

    @Graded(task = "3.1", points = 2)
    void answers_a_client_that_half_closes_after_pipelining_then_closes() throws Exception {
        try (PollZenServer server = new PollZenServer(ANY_PORT);
             Socket socket = connect(server.start())) {
            StringBuilder expected = new StringBuilder();
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                sent.append(QUESTIONS.get(i % QUESTIONS.size()));
                expected.append(Zen.answer(QUESTIONS.get(i % QUESTIONS.size())));
            }
            socket.getOutputStream().write(sent.toString().getBytes(US_ASCII));
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), US_ASCII))
                    .as("everything the server sent before closing").isEqualTo(expected.toString());
        }
    }

    @Graded(task = "3.3", points = 3)
    void a_client_with_a_tiny_receive_buffer_that_reads_slowly_gets_every_byte() throws Exception {
        int requests = 5_000;
        try (PollZenServer server = new PollZenServer(ANY_PORT);
             Socket socket = new Socket();
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            // Small, but not so small that the kernel's window probing stalls the connection for seconds.
            socket.setReceiveBufferSize(2048);
            Todo.closeWhenReached(socket);
            socket.connect(server.start());
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
            assertThat(checker.count()).isEqualTo(requests);
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
            try (ZenClient other = ZenClient.connect(address)) {
                assertThat(other.ask("Simple is better than?")).isEqualTo("Complex.");
                try (Flood rude = Flood.of(address, "?", 1_000_000)) {
                    rude.writeUntilBlocked();
                    rude.reset();
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.stats().closedCount())
                        .as("connections closed after the reset").isEqualTo(1));
                assertThat(other.ask("Beautiful is better than?")).isEqualTo("Ugly.");
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.registeredKeys())
                        .as("selector keys: the listener's and the one client left").isEqualTo(2));
            }
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
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (PollZenServer server = new PollZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient idle = ZenClient.connect(address);
                 Flood stuck = Flood.of(address, "?", 1_000_000)) {
                assertThat(idle.ask("Simple is better than?")).isEqualTo("Complex.");
                long loop = server.stats().threads().keySet().iterator().next();
                assertThat(cpuMillisOverOneSecond(mx, loop))
                        .as("CPU ms the server thread used in one idle second").isLessThan(100);
                stuck.writeUntilBlocked();
                assertThat(cpuMillisOverOneSecond(mx, loop))
                        .as("CPU ms the server thread used in one second while a client does not read its answers"
                                + " (waiting for writability that never comes must not spin)").isLessThan(100);
            }
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

    private static long cpuMillisOverOneSecond(ThreadMXBean mx, long thread) throws InterruptedException {
        long before = mx.getThreadCpuTime(thread);
        // Nothing the server should react to happens for a second: that quiet is what is measured.
        Thread.sleep(1000);
        return (mx.getThreadCpuTime(thread) - before) / 1_000_000;
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        Todo.closeWhenReached(socket);
        socket.connect(address);
        socket.setSoTimeout(10_000);
        return socket;
    }
}
