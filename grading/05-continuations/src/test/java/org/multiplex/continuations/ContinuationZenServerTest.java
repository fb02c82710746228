package org.multiplex.continuations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ZenServerChecks;
import org.multiplex.kit.testing.ZenServerChecks.Target;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Tasks 5.5 and 5.6: the Zen server in blocking style, on one thread, keeps every promise of lesson 3. */
class ContinuationZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a client waits for an answer a correct server sends within milliseconds. */
    private static final Duration PATIENCE = Duration.ofSeconds(2);
    /** How long a client of the server in a JVM of its own waits for an answer: its first come cold. */
    private static final Duration CHILD_PATIENCE = Duration.ofSeconds(4);

    /**
     * Runs a check against a server just started, as {@link #check(Check)} does; a failure's
     * message starts with the likely cause, in the lesson's words.
     */
    private static void check(String hint, Check check) throws Exception {
        try {
            check(check);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError(hint + " A client waited " + PATIENCE.toSeconds() + " s for the server, and nothing"
                    + " came.", e);
        } catch (AssertionError | IOException | ConditionTimeoutException e) {
            throw new AssertionError(hint + " " + e.getMessage(), e);
        }
    }

    /** Runs a check against a server just started, then checks that one thread did all its work. */
    private static void check(Check check) throws Exception {
        ContinuationZenServer server = new ContinuationZenServer(ANY_PORT);
        try (Fixtures.Closing closing = Fixtures.closing(server, "the check, once its clients had left")) {
            InetSocketAddress address = server.start();
            check.run(new Target(address, server.stats(), server::peakBufferedBytes, ContinuationZenServer.bufferCap()));
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }

    @FunctionalInterface
    private interface Check {
        void run(Target server) throws Exception;
    }

    @Graded(task = "5.6", points = 3)
    @Timeout(60)
    void a_client_that_pipelines_100000_requests_before_reading_gets_every_answer_in_order() throws Exception {
        check("[100,000 requests in one stream, many in each read: does answerWhatArrived write `out` whenever it has"
                + " less room than the longest answer, and keep the unfinished rest of `in`?]",
                ZenServerChecks::answersAPipelinedFlood);
    }

    @Graded(task = "5.6", points = 3)
    @Timeout(60)
    void stops_reading_from_a_client_that_does_not_read_its_answers() throws Exception {
        check("[a client that sends and never reads: the handler's write parks, and it must not read meanwhile]",
                ZenServerChecks::stopsReadingAClientThatDoesNotRead);
    }

    @Graded(task = "5.6", points = 3)
    void a_client_with_a_tiny_receive_buffer_that_reads_slowly_gets_every_byte() throws Exception {
        check("[a slow reader with a tiny buffer: every answer must arrive, in order, however the writes are cut]",
                ZenServerChecks::servesASlowReaderWithATinyBuffer);
    }

    @Graded(task = "5.6", points = 1)
    void answers_a_client_that_half_closes_after_pipelining_then_closes() throws Exception {
        check("[a client that half-closes after pipelining: answer everything that arrived, then close]",
                server -> ZenServerChecks.answersAHalfCloseThenCloses(server, PATIENCE));
    }

    @Graded(task = "5.6", points = 2)
    void uses_no_cpu_while_idle_nor_while_a_client_does_not_read_its_answers() throws Exception {
        check("[an idle server and one whose writer waits for a client that does not read must use no CPU: do"
                + " read and write park, and does ready() drop interest that no fiber waits for?]",
                ZenServerChecks::usesNoCpuWhileIdleNorWhileAClientDoesNotRead);
    }

    @Graded(task = "5.6", points = 1)
    void closes_only_the_client_whose_request_is_too_long_and_counts_one_that_left_mid_request() throws Exception {
        check("[a full `in` with no '?' must end its client with a ProtocolException, and a client that leaves with"
                + " part of a request must be counted (stats.leftMidRequest())]",
                server -> ZenServerChecks.closesOnlyAnOversizedRequestAndCountsALeaver(server, PATIENCE));
    }

    @Graded(task = "5.6", points = 2)
    void a_client_that_resets_in_the_middle_of_a_response_costs_nobody_else_anything() throws Exception {
        // The server's fiber for the rude client parks in write, with answers still to send, when
        // the client resets.
        check("[a client that resets while its fiber waits in write must cost only its own connection]",
                server -> ZenServerChecks.shrugsOffAResetMidResponse(server, PATIENCE, () -> { }));
    }

    @Graded(task = "5.6", points = 2)
    void ends_the_fiber_of_every_client_after_1000_connect_disconnect_cycles() throws Exception {
        ContinuationZenServer server = new ContinuationZenServer(ANY_PORT);
        try (Fixtures.Closing closing = Fixtures.closing(server, "1000 clients came and went")) {
            InetSocketAddress address = server.start();
            for (int i = 0; i < 1000; i++) {
                try (ZenClient client = ZenClient.connect(address, PATIENCE)) {
                    if (i % 2 == 0) {
                        assertThat(client.ask("Explicit is better than?")).as("answer to client %d", i)
                                .isEqualTo("Implicit.");
                    }
                }
            }
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(server.stats().openCount())
                    .as("connections still open after 1000 clients came and went").isZero());
            assertThat(server.stats().acceptedCount()).as("connections accepted").isEqualTo(1000);
            try (ZenClient last = ZenClient.connect(address, PATIENCE)) {
                assertThat(last.ask("Simple is better than?")).as("the answer to one more client").isEqualTo("Complex.");
            }
        }
    }

    @Graded(task = "5.6", points = 1)
    void answers_a_request_split_across_reads_and_several_sent_in_one_write() throws Exception {
        ContinuationZenServer server = new ContinuationZenServer(ANY_PORT);
        try (Fixtures.Closing closing = Fixtures.closing(server, "a request split across reads")) {
            InetSocketAddress address = server.start();
            try (ZenClient splitter = ZenClient.connect(address, PATIENCE); ZenClient other = ZenClient.connect(address, PATIENCE)) {
                splitter.send("Beautiful is ");
                // Another client's answer: the server has had its chance to read the first part alone.
                ask(other, "Simple is better than?", "a request of another client");
                splitter.send("better than?Explicit is better than?Simple is");
                String rest = "does answerWhatArrived keep the unfinished rest at the front of `in` (compact, not clear)"
                        + " for the next read?";
                assertThat(answer(splitter, "the first part of a request, then its end with a second request and"
                        + " the start of a third, in one write")).as("the answer to \"Beautiful is \" + \"better than?\","
                        + " sent in two writes: %s", rest).isEqualTo("Ugly.");
                assertThat(answer(splitter, "a second request sent in the same write as the end of the first"))
                        .as("the answer to the second of several requests in one read: does answerWhatArrived answer"
                                + " every '?' of a read?").isEqualTo("Implicit.");
                splitter.send(" better than?");
                assertThat(answer(splitter, "the end of a request whose start came with two others"))
                        .as("the answer to \"Simple is\" + \" better than?\", the start sent after two other"
                                + " requests: %s", rest).isEqualTo("Complex.");
            }
            assertThat(server.stats().answeredCount()).as("answers the server counted (stats.answered(), once per"
                    + " answer) of the 4 it sent").isEqualTo(4);
        }
    }

    /** Reads one answer within {@link #PATIENCE}, or fails saying what it was the answer to. */
    private static String answer(ZenClient client, String what) throws IOException {
        try {
            return client.readAnswer();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer within " + PATIENCE.toSeconds() + " s to " + what + ": does"
                    + " answerWhatArrived answer every '?' of a read, and keep the unfinished rest at the front of"
                    + " in (compact, not clear) for the next read?");
        }
    }

    private static void ask(ZenClient client, String request, String what) throws IOException {
        client.send(request);
        assertThat(answer(client, what)).as("the answer to %s", request).isEqualTo(Zen.answer(request));
    }

    @Graded(task = "5.5", points = 3)
    void answers_every_complete_request_of_clients_that_attack_at_once_beside_100_idle_ones() throws Exception {
        ContinuationZenServer server = new ContinuationZenServer(ANY_PORT);
        try (Fixtures.Closing closing = Fixtures.closing(server, "the chaos clients and the 100 idle ones had left")) {
            InetSocketAddress address = server.start();
            try (ZenClient silent = ZenClient.connect(address, PATIENCE); ZenClient asker = ZenClient.connect(address, PATIENCE)) {
                asker.send("Simple is better than?");
                try {
                    assertThat(asker.readAnswer()).as("the answer to a second client").isEqualTo("Complex.");
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("a client connected after a silent one got no answer within "
                            + PATIENCE.toSeconds() + " s: does the accept loop start a fiber per client"
                            + " (dispatcher.start) and accept again at once, rather than serve the client itself?");
                }
                assertThat(server.stats().acceptedCount()).as("connections the server counted as accepted, of the 2"
                        + " made and answered: does the accept loop count each client (stats.accepted())?").isEqualTo(2);
            }
            ZenServerChecks.answersEveryCompleteRequestOfClientsThatAttackAtOnce(address, PATIENCE);
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }

    @Graded(task = "5.6", points = 2)
    void the_same_handler_serves_unchanged_on_one_virtual_thread_per_connection() throws Exception {
        try (VirtualThreadZenServer server = new VirtualThreadZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            List<ZenClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    ZenClient client = ZenClient.connect(address, PATIENCE);
                    client.send(String.join("", Zen.questions()));
                    clients.add(client);
                }
                for (ZenClient client : clients) {
                    for (String question : Zen.questions()) {
                        assertThat(answer(client, question + " on a virtual thread")).as("answer to %s", question)
                                .isEqualTo(Zen.answer(question));
                    }
                }
            } finally {
                for (ZenClient client : clients) {
                    client.close();
                }
            }
            assertThat(server.stats().threads().values()).as("virtual threads that counted answers with"
                    + " stats.answered() (the handler counts each answer it makes): one per client")
                    .filteredOn(name -> name.startsWith("client ")).hasSizeGreaterThanOrEqualTo(200);
        }
    }

    @Graded(task = "5.6", points = 4)
    @Timeout(120)
    void holds_and_serves_10000_connections_on_one_thread_in_a_64_mib_heap(@TempDir Path dir) throws Exception {
        int connections = 10_000;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = dir.resolve("server-output.txt");
        Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                ContinuationZenServer.class.getName(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        List<SocketChannel> clients = new ArrayList<>(connections);
        try {
            Pattern listening = Pattern.compile("listening on (\\S+):(\\d+)");
            Matcher bound = await().atMost(Duration.ofSeconds(20))
                    .until(() -> listening.matcher(Files.readString(output)), m -> m.find() || !child.isAlive());
            assertThat(child.isAlive()).as("the server in a JVM of its own, after it started; it printed:%n%s",
                    Files.readString(output)).isTrue();
            InetSocketAddress address = new InetSocketAddress(bound.group(1), Integer.parseInt(bound.group(2)));
            warmUp(address, CHILD_PATIENCE);
            long start = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                SocketChannel client = SocketChannel.open(address);
                // Closed with a reset, so that 10,000 ports are not held in TIME_WAIT for a minute
                // after the test, in the way of the next run.
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                org.multiplex.kit.Todo.closeWhenReached(client);
                clients.add(client);
            }
            for (int round = 0; round < 2; round++) {
                ByteBuffer question = ByteBuffer.wrap("Simple is better than?".getBytes(StandardCharsets.US_ASCII));
                for (SocketChannel client : clients) {
                    client.write(question.rewind());
                }
                ByteBuffer answer = ByteBuffer.allocate(16);
                for (int i = 0; i < connections; i++) {
                    answer.clear();
                    while (answer.position() < "Complex.".length()) {
                        assertThat(clients.get(i).read(answer)).as("read of client %d, round %d (-1: closed)", i, round)
                                .isPositive();
                    }
                    assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII))
                            .as("answer to client %d, round %d", i, round).isEqualTo("Complex.");
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(child.isAlive()).as("the server, after serving every connection twice").isTrue();
            System.out.printf("%d connections held and served twice in %d ms; server heap limit 64 MiB, %s%n",
                    connections, millis, residentSize(child));
        } catch (IOException | AssertionError e) {
            throw new AssertionError(stubReached(output).map(todo -> todo + "\n(reached in the server's JVM) ").orElse("")
                    + e.getMessage() + "; the server's output:\n" + tail(output), e);
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Serves 20,000 requests on 50 connections before the crowd comes, as a server that has run
     * for a moment has. A continuation first parked while its code still runs in the interpreter
     * is later thawed a frame at a time and keeps two stack chunks for as long as it lives; once
     * the code is compiled, one chunk is reused from park to park. Cold, 10,000 fibers need about
     * 15 MB more.
     */
    private static void warmUp(InetSocketAddress address, Duration patience) throws IOException {
        List<ZenClient> few = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                few.add(ZenClient.connect(address, patience));
            }
            for (int round = 0; round < 400; round++) {
                for (int i = 0; i < few.size(); i++) {
                    String answer;
                    try {
                        answer = few.get(i).ask("Simple is better than?");
                    } catch (java.net.SocketTimeoutException e) {
                        throw new AssertionError("warming up with 50 clients that ask in turn, client " + i + " got no"
                                + " answer within " + patience.toSeconds() + " s in round " + round + ": is every client"
                                + " served by a fiber of its own, and does every read park?");
                    }
                    assertThat(answer).as("an answer while warming up").isEqualTo("Complex.");
                }
            }
        } finally {
            for (ZenClient client : few) {
                client.close();
            }
        }
    }

    private static String residentSize(Process process) throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) {
            return "resident size unknown";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS")).findFirst()
                .map(l -> "resident " + l.substring(6).strip()).orElse("resident size unknown");
    }

    /**
     * Returns the stub message the server printed, if it printed one within a moment: a stub's
     * exception reaches the log a little after the test's client has seen the server fail. Of
     * several, the one of the earliest task: the others are reached only because it is a stub.
     */
    private static Optional<String> stubReached(Path output) {
        Pattern todo = Pattern.compile("TODO\\((\\d+)\\.(\\d+)\\)[^\n]*");
        String[] previous = {null};
        long[] changed = {System.nanoTime()};
        try {
            // Settled: nothing more printed since the last look, and a TODO printed, or nothing
            // printed for half a second: then no stub is on its way.
            String text = await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(output), now -> {
                        boolean same = now.equals(previous[0]);
                        if (!same) {
                            changed[0] = System.nanoTime();
                        }
                        previous[0] = now;
                        return same && (todo.matcher(now).find() || System.nanoTime() - changed[0] > 500_000_000L);
                    });
            return todo.matcher(text).results()
                    .min(java.util.Comparator.comparingInt((MatchResult m) -> Integer.parseInt(m.group(1)))
                            .thenComparingInt(m -> Integer.parseInt(m.group(2))))
                    .map(MatchResult::group);
        } catch (ConditionTimeoutException none) {
            return Optional.empty();
        }
    }

    /** The last lines the server printed: a stub's TODO message, an OutOfMemoryError. */
    private static String tail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    }
}
