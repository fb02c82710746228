package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.multiplex.dispatcher.Fixtures.ANY_PORT;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Task 4.4: the Zen server on the dispatcher keeps every promise of lesson 3. */
class DispatcherZenServerTest {

    private static final List<String> QUESTIONS = Zen.questions();

    @Graded(task = "4.4", points = 3)
    @Timeout(60)
    void a_client_that_pipelines_100000_requests_before_reading_gets_every_answer_in_order() throws Exception {
        int requests = 100_000;
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT);
             Flood flood = new Flood(server.start(), requests, i -> QUESTIONS.get(i % QUESTIONS.size()))) {
            flood.writeUntilBlocked();
            flood.finish();
            assertThat(flood.answers()).as("answers received, each checked in order").isEqualTo(requests);
            assertThat(server.peakBufferedBytes()).as("bytes the server buffered for the connection, at most")
                    .isLessThanOrEqualTo(DispatcherZenServer.bufferCap());
        }
    }

    @Graded(task = "4.4", points = 3)
    @Timeout(60)
    void stops_reading_from_a_client_that_does_not_read_its_answers() throws Exception {
        // A million one-byte requests, each answered with 24 bytes: 24 MB of answers, more than
        // any kernel buffer holds, so the server must stop reading or grow without bound.
        int requests = 1_000_000;
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT);
             Flood flood = new Flood(server.start(), requests, i -> "?")) {
            long letIn = flood.writeUntilBlocked();
            assertThat(letIn).as("request bytes the server let in before it stopped reading (of %d sent); a server"
                    + " that reads while its answers wait never makes the client wait", flood.totalBytes())
                    .isLessThan(flood.totalBytes());
            assertThat(server.peakBufferedBytes()).as("bytes the server buffered for the connection")
                    .isLessThanOrEqualTo(DispatcherZenServer.bufferCap());
            flood.finish();
            assertThat(flood.answers()).as("answers received once the client read").isEqualTo(requests);
            assertThat(server.peakBufferedBytes()).as("bytes the server buffered for the connection, at most")
                    .isLessThanOrEqualTo(DispatcherZenServer.bufferCap());
        }
    }

    @Graded(task = "4.4", points = 3)
    void a_client_with_a_tiny_receive_buffer_that_reads_slowly_gets_every_byte() throws Exception {
        int requests = 5_000;
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT);
             Socket socket = new Socket();
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            // Small, yet not below about 2 KB: with less, Linux's loopback stalls for its persist
            // timer again and again, and the test takes 15 s instead of half a second.
            socket.setReceiveBufferSize(4096);
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
            AnswerChecker checker = new AnswerChecker(i -> QUESTIONS.get(i % QUESTIONS.size()));
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

    @Graded(task = "4.4", points = 2)
    void answers_a_client_that_half_closes_after_pipelining_then_closes() throws Exception {
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT); Socket socket = new Socket()) {
            Todo.closeWhenReached(socket);
            socket.connect(server.start());
            socket.setSoTimeout(10_000);
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
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.stats().openCount())
                    .as("connections open once the client has left").isZero());
        }
    }

    @Graded(task = "4.4", points = 2)
    void uses_no_cpu_while_idle_nor_while_a_client_does_not_read_its_answers() throws Exception {
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient idle = ZenClient.connect(address);
                 Flood stuck = new Flood(address, 1_000_000, i -> "?")) {
                assertThat(idle.ask("Simple is better than?")).isEqualTo("Complex.");
                long loop = server.stats().threads().keySet().iterator().next();
                assertThat(Fixtures.cpuMillisOverOneIdleSecond(loop))
                        .as("CPU ms the server thread used in one idle second").isLessThan(100);
                stuck.writeUntilBlocked();
                assertThat(Fixtures.cpuMillisOverOneIdleSecond(loop))
                        .as("CPU ms the server thread used in one second while a client does not read its answers"
                                + " (readable() must say no, and waiting to write must not spin)").isLessThan(100);
            }
        }
    }

    @Graded(task = "4.4", points = 1)
    void closes_only_the_client_whose_request_is_too_long_and_counts_one_that_left_mid_request() throws Exception {
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient other = ZenClient.connect(address); ZenClient flooder = ZenClient.connect(address)) {
                try {
                    flooder.send("x".repeat(4 * Zen.MAX_REQUEST_BYTES));
                } catch (IOException closedWhileWriting) {
                    // The server may close before the last byte arrives: the behaviour wanted.
                }
                assertThat(flooder.serverClosed()).as("the flooder's connection was closed").isTrue();
                try (ZenClient quitter = ZenClient.connect(address)) {
                    quitter.send("Beautiful is better");
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.stats().leftMidRequestCount())
                        .as("clients counted as leaving mid-request").isEqualTo(1));
                assertThat(other.ask("Explicit is better than?")).isEqualTo("Implicit.");
                assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
            }
        }
    }

    /** Checks a stream of answers against the requests sent, in order, byte by byte. */
    private static final class AnswerChecker {
        private final IntFunction<String> request;
        private final StringBuilder current = new StringBuilder();
        private int count;

        AnswerChecker(IntFunction<String> request) {
            this.request = request;
        }

        void accept(byte[] bytes, int n) {
            for (int i = 0; i < n; i++) {
                current.append((char) bytes[i]);
                if (bytes[i] == Zen.ANSWER_END) {
                    assertThat(current.toString()).as("answer %d", count).isEqualTo(Zen.answer(request.apply(count)));
                    current.setLength(0);
                    count++;
                }
            }
        }

        int count() {
            return count;
        }
    }

    /**
     * A client that writes many pipelined requests through a non-blocking channel with small
     * kernel buffers, so that it sees when the server stops taking them, and reads the answers only
     * when told to.
     */
    private static final class Flood implements AutoCloseable {
        private final SocketChannel channel;
        private final ByteBuffer requests;
        private final ByteBuffer answers = ByteBuffer.allocate(64 * 1024);
        private final AnswerChecker checker;
        private final int count;

        Flood(InetSocketAddress address, int count, IntFunction<String> request) throws IOException {
            this.count = count;
            this.checker = new AnswerChecker(request);
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < count; i++) {
                all.append(request.apply(i));
            }
            requests = ByteBuffer.wrap(all.toString().getBytes(US_ASCII));
            channel = SocketChannel.open();
            // Small buffers on this side, so that what the kernels hold cannot hide whether the
            // server kept reading.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            Todo.closeWhenReached(channel);
            channel.connect(address);
            channel.configureBlocking(false);
        }

        long totalBytes() {
            return requests.capacity();
        }

        /** Writes until the kernel takes no more for a while; returns the bytes it took. */
        long writeUntilBlocked() throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int zeroWrites = 0;
            // The kernel takes bytes while the server reads them; once it stops, writes return 0.
            // Fifty zero writes in a row, a millisecond apart, mean it stopped.
            while (requests.hasRemaining() && zeroWrites < 50 && System.nanoTime() < deadline) {
                if (channel.write(requests) == 0) {
                    zeroWrites++;
                    LockSupport.parkNanos(1_000_000);
                } else {
                    zeroWrites = 0;
                }
            }
            return requests.position();
        }

        /** Writes the rest while reading and checking every answer, waiting in a selector of its own. */
        void finish() throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            try (Selector selector = Selector.open()) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                while (checker.count() < count) {
                    assertThat(System.nanoTime()).as("time left to read every answer").isLessThan(deadline);
                    key.interestOps(SelectionKey.OP_READ | (requests.hasRemaining() ? SelectionKey.OP_WRITE : 0));
                    selector.select(1000);
                    selector.selectedKeys().clear();
                    if (requests.hasRemaining()) {
                        channel.write(requests);
                    }
                    answers.clear();
                    int n = channel.read(answers);
                    assertThat(n).as("read after %d answers (-1: the server closed)", checker.count()).isNotNegative();
                    checker.accept(answers.array(), n);
                }
            }
        }

        int answers() {
            return checker.count();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
