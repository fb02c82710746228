package org.multiplex.poll;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;
import org.multiplex.poll.PipelinedClient.Hints;

/** Lesson 3: buffers, interest switching, partial writes, backpressure. */
class PollZenServerTest {

    private static final List<String> QUESTIONS = Zen.questions();

    /** A client's kernel buffers: small, so that what the kernels hold cannot hide what the server does. */
    private static final int SMALL_BUFFERS = 4096;

    /**
     * CPU a waiting loop cannot use in half a second: a correct one uses next to none, and a spinning
     * one thousands of wake-ups' worth, even on a machine so busy that it gets a fiftieth of a core.
     */
    private static final long SPINNING_MILLIS = 5;

    private static final String KEEP_WAITING_REQUESTS = "a request that did not fit in out waits in in;"
            + " does answerWhatFits flip in before it looks for requests, and keep the rest there (in.compact),"
            + " and does onWritable answer it once writing has made room?";
    private static final String WAITING_IS_NOT_TOO_LONG = "more than 1,024 bytes in in with a ? among them are"
            + " requests waiting for room in out, not a request too long: throw the ProtocolException only when no ?"
            + " is among them";

    // Task 3.1: answer what fits.

    @Graded(task = "3.1", points = 2)
    @Timeout(40)
    void a_client_that_pipelines_100000_requests_before_reading_gets_every_answer_in_order() throws Exception {
        int requests = 100_000;
        try (WatchedServer server = WatchedServer.start();
             PipelinedClient client = PipelinedClient.connect(server, requests, PollZenServerTest::question,
                     SMALL_BUFFERS, "the client pipelined 100,000 requests, sending until the server stopped reading,"
                             + " then read")) {
            Hints hints = new Hints(
                    "requests that arrive together in one read must each be answered on its own, in order;"
                            + " does answerWhatFits start each request just after the ? of the one before?",
                    KEEP_WAITING_REQUESTS,
                    WAITING_IS_NOT_TOO_LONG);
            client.sendUntilBlocked(hints);
            client.receiveAll(hints);
            assertBounded(server);
        }
    }

    @Graded(task = "3.1", points = 2)
    @Timeout(40)
    void stops_reading_from_a_client_that_does_not_read_its_answers() throws Exception {
        // 12 MB of answers: more than the kernels' buffers on both sides hold.
        int requests = 500_000;
        try (WatchedServer server = WatchedServer.start();
             PipelinedClient client = PipelinedClient.connect(server, requests, i -> "?", SMALL_BUFFERS,
                     "the client sent half a million one-byte requests without reading an answer")) {
            Hints hints = new Hints(
                    "answers must leave in the order of their requests, whole; does answerWhatFits answer each"
                            + " request once, and keep the rest of in?",
                    KEEP_WAITING_REQUESTS,
                    WAITING_IS_NOT_TOO_LONG);
            long letIn = client.sendUntilBlocked(hints);
            if (letIn == client.totalBytes()) {
                throw server.failure("the client sent half a million one-byte requests without reading an answer",
                        "the server took every one of them, and never stopped reading",
                        "while answers wait, requests must wait in in and in the kernel (backpressure); does"
                                + " answerWhatFits stop while out has no room, and keep the requests it did not"
                                + " answer?");
            }
            assertBounded(server);
            client.receiveAll(hints);
            assertBounded(server);
        }
    }

    @Graded(task = "3.1", points = 2)
    void answers_a_client_that_half_closes_after_pipelining_then_closes() throws Exception {
        try (WatchedServer server = WatchedServer.start();
             PipelinedClient client = PipelinedClient.connect(server, 500, PollZenServerTest::question, 64 * 1024,
                     "the client sent 500 requests, shut down its sending side (a half-close), and read")) {
            Hints hints = new Hints(
                    "does answerWhatFits answer each complete request, in order?",
                    "a half-close means no more requests, not goodbye: are the requests that wait in in answered"
                            + " after a write (onWritable), and the connection closed only once out is empty?",
                    "a half-close means no more requests, not goodbye: is the connection closed only when the"
                            + " client has finished and out is empty?");
            client.sendAllAndHalfClose(hints);
            client.receiveAll(hints);
            client.expectClose("once the client has finished and every answer is sent, nextInterest returns 0 and"
                    + " the step closes the connection");
        }
    }

    @Graded(task = "3.1")
    void answers_a_request_split_across_reads() throws Exception {
        try (WatchedServer server = WatchedServer.start();
             ZenClient split = server.connect();
             ZenClient other = server.connect()) {
            String did = "the client sent \"Beautiful is \", then \"better than?Explicit is\", then \" better than?\","
                    + " each after the server had answered another client";
            String hint = "a request split across reads must be kept whole: does answerWhatFits flip in before it"
                    + " looks for requests, and keep the unfinished request at the front of in (in.compact) until its"
                    + " ? arrives?";
            server.send(split, "Beautiful is ", did, hint);
            // Another client's answer shows that the loop has been round since: the part was read.
            server.ask(other, "Simple is better than?", did, hint);
            server.send(split, "better than?Explicit is", did, hint);
            server.ask(other, "Simple is better than?", did, hint);
            server.send(split, " better than?", did, hint);
            server.expectAnswer(split, "Beautiful is better than?", did, hint);
            server.expectAnswer(split, "Explicit is better than?", did, hint);
        }
    }

    @Graded(task = "3.1")
    void counts_every_answer_it_sends() throws Exception {
        int requests = 500;
        try (WatchedServer server = WatchedServer.start();
             PipelinedClient client = PipelinedClient.connect(server, requests, PollZenServerTest::question, 64 * 1024,
                     "the client pipelined 500 requests and read their answers")) {
            String hint = "does answerWhatFits answer each complete request, in order?";
            client.sendUntilBlocked(new Hints(hint, hint, hint));
            client.receiveAll(new Hints(hint, KEEP_WAITING_REQUESTS, WAITING_IS_NOT_TOO_LONG));
            long counted = server.stats().answeredCount();
            if (counted != requests) {
                throw server.failure("the client pipelined 500 requests and got 500 answers",
                        "the server counted " + counted + " answered",
                        "does answerWhatFits count each answer it puts in out, in answered?");
            }
        }
    }

    @Graded(task = "3.1")
    void closes_only_the_client_whose_request_is_too_long() throws Exception {
        try (WatchedServer server = WatchedServer.start();
             ZenClient other = server.connect();
             ZenClient flooder = server.connect()) {
            String did = "a client sent 4,096 bytes with no ? among them";
            try {
                flooder.send("x".repeat(4 * Zen.MAX_REQUEST_BYTES));
            } catch (IOException closedWhileWriting) {
                // The server may close before the last byte arrives: the behaviour wanted.
            }
            boolean closed;
            try {
                closed = flooder.serverClosed();
            } catch (IOException silent) {
                closed = false;
            }
            if (!closed) {
                throw server.failure(did, "2 s later the server had not closed its connection",
                        "does answerWhatFits throw a ProtocolException when in holds more than 1,024 bytes and no ?"
                                + " among them?");
            }
            server.ask(other, "Explicit is better than?", did + ", and was closed",
                    "a request too long must close its own client only; is the ProtocolException thrown from"
                            + " answerWhatFits, where the step catches it?");
        }
    }

    // Task 3.2: choose the next interest.

    @Graded(task = "3.2", points = 2)
    void holds_only_the_listening_key_after_1000_connect_disconnect_cycles() throws Exception {
        try (WatchedServer server = WatchedServer.start()) {
            String did = "1,000 clients connected and closed one after the other, every second one after a request";
            String hint = "does nextInterest wait to read (OP_READ) once out is empty, so that the end of stream is"
                    + " seen, and return 0 when the client has finished and out is empty, so that the step closes the"
                    + " connection?";
            for (int i = 0; i < 1000; i++) {
                try (ZenClient client = server.connect()) {
                    if (i % 2 == 0) {
                        server.ask(client, "Explicit is better than?", did, hint);
                    }
                }
                if (i % 100 == 0 && !server.soon(() -> server.stats().openCount() == 0)) {
                    throw server.failure(did, "the connection of client " + i + " was still open 2 s after it left",
                            hint);
                }
            }
            if (!server.soon(() -> server.stats().openCount() == 0)) {
                throw server.failure(did, server.stats().openCount() + " of their connections were still open 2 s"
                        + " after the last client left", hint);
            }
            try (ZenClient last = server.connect()) {
                // One more round trip makes the loop pass through select(), which forgets cancelled keys.
                server.ask(last, "Simple is better than?", did, hint);
                int keys = server.server().registeredKeys();
                if (keys != 2) {
                    throw server.failure(did + ", then one more connected and asked",
                            "the selector held " + keys + " keys, not 2 (the listener's and the last client's)",
                            "does every connection end with nextInterest returning 0, so that the step closes it"
                                    + " and cancels its key?");
                }
            }
        }
    }

    @Graded(task = "3.2")
    void answers_a_second_request_once_the_first_answer_is_sent() throws Exception {
        try (WatchedServer server = WatchedServer.start(); ZenClient client = server.connect()) {
            server.ask(client, "Beautiful is better than?", "the client sent a first request",
                    "does answerWhatFits answer it, and nextInterest then wait to write (OP_WRITE)?");
            server.ask(client, "Simple is better than?",
                    "the client got its first answer, then sent a second request on the same connection",
                    "once out is empty, does nextInterest switch the interest back to OP_READ?");
        }
    }

    @Graded(task = "3.2", points = 3)
    void uses_no_cpu_while_idle_nor_while_a_slow_reader_keeps_a_write_pending() throws Exception {
        try (WatchedServer server = WatchedServer.start();
             ZenClient idle = server.connect();
             PipelinedClient stuck = PipelinedClient.connect(server, 1_000_000, i -> "?", SMALL_BUFFERS,
                     "a client sent a million requests without reading an answer")) {
            server.ask(idle, "Simple is better than?", "a client sent a request",
                    "does nextInterest wait to write (OP_WRITE) while an answer waits, and to read otherwise?");
            long loop = server.stats().threads().keySet().iterator().next();
            long idleMillis = cpuMillisWhileNothingHappens(loop);
            if (idleMillis >= SPINNING_MILLIS) {
                throw server.failure("a client got its answer, and then nothing happened for a second",
                        "the server's thread used " + idleMillis + " ms of CPU or more in each half of it",
                        "a key interested in OP_WRITE is ready at every select() while its socket has room; does"
                                + " nextInterest drop OP_WRITE the moment out is empty?");
            }
            String hint = "answers must wait in out until the client reads; does nextInterest wait to write while"
                    + " answers wait?";
            stuck.sendUntilBlocked(new Hints(hint, hint, hint));
            long stuckMillis = cpuMillisWhileNothingHappens(loop);
            if (stuckMillis >= SPINNING_MILLIS) {
                throw server.failure("a client sent a million requests and does not read its answers",
                        "the server's thread used " + stuckMillis + " ms of CPU or more in each of two half seconds",
                        "while answers wait, does nextInterest wait to write only? A key still interested in OP_READ"
                                + " is ready at every select() while the client's requests wait in the kernel and in"
                                + " is full: stop reading, that is the backpressure");
            }
        }
    }

    @Graded(task = "3.2")
    void the_books_failure_case_half_a_request_then_close_is_noticed_and_harms_no_one() throws Exception {
        try (WatchedServer server = WatchedServer.start()) {
            String did = "a client sent \"Beautiful is better\", half a request, and closed its connection";
            try (ZenClient quitter = server.connect()) {
                server.send(quitter, "Beautiful is better", did, "a client may leave in the middle of a request");
            }
            if (!server.soon(() -> server.stats().leftMidRequestCount() == 1)) {
                throw server.failure(did, "2 s later the server had not closed it (no client counted as leaving"
                        + " mid-request)", "the client has finished and out is empty: does nextInterest return 0,"
                        + " so that the step closes the connection?");
            }
            try (ZenClient next = server.connect()) {
                server.ask(next, "Beautiful is better than?", did + "; then another client asked",
                        "one client leaving must harm no one else");
            }
        }
    }

    // Task 3.3: write when writable.

    @Graded(task = "3.3", points = 3)
    void keeps_the_rest_of_every_partial_write_for_the_next_wake_up() throws Exception {
        int requests = 300;
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            asked.add(i % 2 == 0 ? "?" : question(i / 2));
        }
        String sent = String.join("", asked);
        String expected = String.join("", asked.stream().map(Zen::answer).toList());
        TrickleChannel channel = new TrickleChannel(sent.getBytes(US_ASCII), 1000, 7);
        Connection connection = new Connection(channel);
        String did = "a Connection was driven by hand on a fake channel that hands out 300 requests, 1,000 bytes per"
                + " read, and takes at most 7 bytes per write";
        int interest = SelectionKey.OP_READ;
        int steps = 0;
        while (interest != 0 && steps < 10_000) {
            boolean reading = (interest & SelectionKey.OP_READ) != 0;
            try {
                // Like the step: a read when reading is wanted, else a write; this channel is always ready for both.
                interest = reading ? connection.onReadable() : connection.onWritable();
            } catch (Todo todo) {
                throw todo;
            } catch (RuntimeException e) {
                throw new AssertionError(did + "; after " + answersIn(new String(channel.written(), US_ASCII))
                        + " answers " + (reading ? "onReadable" : "onWritable") + " threw " + e + ": an unchecked"
                        + " exception in a step ends the server's loop for every client", e);
            }
            steps++;
        }
        String written = new String(channel.written(), US_ASCII);
        int same = 0;
        while (same < Math.min(written.length(), expected.length()) && written.charAt(same) == expected.charAt(same)) {
            same++;
        }
        int whole = answersIn(written.substring(0, same));
        String stopped = interest == 0 ? "the connection ended"
                : String.format(Locale.ROOT, "after %,d steps it still wanted to %s", steps,
                        interest == SelectionKey.OP_READ ? "read" : "write");
        if (same < written.length()) {
            String from = written.substring(expected.lastIndexOf('.', same - 1) + 1);
            throw new AssertionError(did + "; answer " + whole + " came out as \"" + PipelinedClient.printable(from)
                    + "\", not \"" + Zen.answer(asked.get(whole)) + "\": every write was a partial write, and"
                    + " answers lost bytes or got some twice; does onWritable flip out before the write, and compact"
                    + " it after, so that the unsent rest stays at the front of out?");
        }
        if (same < expected.length()) {
            throw new AssertionError(did + "; " + stopped + " with " + whole + " of " + requests + " answers"
                    + " written: after a partial write the rest waits in out; does onWritable keep it (compact),"
                    + " answer what waited in in now that there is room, and return nextInterest()?");
        }
        if (interest != 0) {
            throw new AssertionError(did + "; every answer was written, but " + stopped + ": the client had"
                    + " finished and out was empty; does onWritable return nextInterest()?");
        }
    }

    private static int answersIn(String text) {
        return (int) text.chars().filter(c -> c == Zen.ANSWER_END).count();
    }

    @Graded(task = "3.3")
    void answers_the_requests_that_waited_in_in_while_out_was_full() throws Exception {
        int requests = 1000;
        try (WatchedServer server = WatchedServer.start();
             PipelinedClient client = PipelinedClient.connect(server, requests, i -> "?", 64 * 1024,
                     "the client sent 1,000 requests in one write (24,000 bytes of answers, more than out holds),"
                             + " then only read")) {
            Hints hints = new Hints(
                    "does onWritable write out from its front, and answer in order?",
                    "does onWritable answer what arrived while out was full, now that writing has made room?",
                    "does onWritable let the requests wait in in until there is room?");
            client.receiveAll(hints);
        }
    }

    @Graded(task = "3.3", points = 2)
    void answers_1000_concurrent_clients() throws Exception {
        int clients = 1000;
        List<ZenClient> connected = new CopyOnWriteArrayList<>();
        try (WatchedServer server = WatchedServer.start();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch allConnected = new CountDownLatch(clients);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String question = question(i);
                answers.add(pool.submit(() -> {
                    try (ZenClient client = server.connect()) {
                        connected.add(client);
                        allConnected.countDown();
                        allConnected.await(20, TimeUnit.SECONDS);
                        client.send(question);
                        return WatchedServer.readAnswer(client);
                    } finally {
                        allConnected.countDown();
                    }
                }));
            }
            String did = "1,000 clients connected at once and each sent one request";
            String hint = "does onWritable write each connection's answers, and then return nextInterest()?";
            try {
                for (int i = 0; i < clients; i++) {
                    String answer;
                    try {
                        answer = answers.get(i).get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        throw server.failure(did, "client " + i + " got no answer to \"" + question(i) + "\" ("
                                + (cause instanceof java.net.SocketTimeoutException ? "none came in 2 s"
                                        : cause.getClass().getSimpleName()) + ")", hint);
                    }
                    if (!answer.equals(Zen.answer(question(i)))) {
                        throw server.failure(did, "client " + i + " got \"" + PipelinedClient.printable(answer)
                                + "\" for \"" + question(i) + "\"", hint);
                    }
                }
            } finally {
                // The first failure is enough: the clients still waiting need not wait out their time.
                pool.shutdownNow();
                for (ZenClient client : connected) {
                    client.close();
                }
            }
            int threads = server.stats().threads().size();
            if (threads != 1) {
                throw server.failure(did, "the server's work was done on " + threads + " threads",
                        "one thread, one selector: the loop does all the work");
            }
        }
    }

    @Graded(task = "3.3", points = 2)
    void a_client_that_resets_in_the_middle_of_a_response_costs_nobody_else_anything() throws Exception {
        try (WatchedServer server = WatchedServer.start(); ZenClient other = server.connect()) {
            String did = "a client sent a million requests, read none of the answers, and reset the connection"
                    + " (SO_LINGER 0) while the server was writing them";
            server.ask(other, "Simple is better than?", "a client sent a request", "does onWritable write the answer?");
            try (PipelinedClient rude = PipelinedClient.connect(server, 1_000_000, i -> "?", SMALL_BUFFERS, did)) {
                String hint = "answers must wait in out until the client reads";
                rude.sendUntilBlocked(new Hints(hint, hint, hint));
                rude.reset();
            }
            if (!server.soon(() -> server.stats().closedCount() >= 1 || server.loopEnded() != null)) {
                throw server.failure(did, "2 s later the server had not closed that connection",
                        "the write to a reset connection throws an IOException: does it reach the step, which"
                                + " closes the connection, or does onWritable catch it and carry on?");
            }
            server.ask(other, "Beautiful is better than?", did + "; then another client, connected all along, asked",
                    "one client's reset must cost nobody else anything");
            if (!server.soon(() -> server.server().registeredKeys() == 2)) {
                throw server.failure(did, "the selector still held " + server.server().registeredKeys()
                        + " keys 2 s later, not 2 (the listener's and the other client's)",
                        "is the reset connection's key cancelled when the step closes it?");
            }
        }
    }

    /**
     * Returns the CPU milliseconds the loop thread uses in half a second in which nothing happens,
     * or in a second half second if it used too much in the first: a loop still finishing earlier
     * work on a busy machine is quiet by then, and a spinning loop spins on.
     */
    private static long cpuMillisWhileNothingHappens(long loop) throws InterruptedException {
        long first = cpuMillisOverHalfASecond(loop);
        return first < SPINNING_MILLIS ? first : Math.min(first, cpuMillisOverHalfASecond(loop));
    }

    private static long cpuMillisOverHalfASecond(long thread) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getThreadCpuTime(thread);
        // Nothing the server should react to happens meanwhile: that quiet is what is measured.
        Thread.sleep(500);
        return (threads.getThreadCpuTime(thread) - before) / 1_000_000;
    }

    private static String question(int i) {
        return QUESTIONS.get(i % QUESTIONS.size());
    }

    private static void assertBounded(WatchedServer server) {
        int peak = server.server().peakBufferedBytes();
        if (peak > PollZenServer.bufferCap()) {
            throw server.failure("a client pipelined requests without reading",
                    "the server held " + peak + " bytes for it, more than its cap of " + PollZenServer.bufferCap(),
                    "in and out have a fixed size; are they the only place where a connection keeps bytes?");
        }
    }
}
