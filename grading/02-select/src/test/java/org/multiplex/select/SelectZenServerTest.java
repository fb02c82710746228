package org.multiplex.select;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Tasks 2.2 and 2.3: the select loop, and reading a client's bytes, through a real Zen server. */
class SelectZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a client waits for what a correct server does within milliseconds. */
    private static final Duration WAIT = Duration.ofSeconds(2);

    @Graded(task = "2.2", points = 2)
    void answers_200_clients_whose_requests_arrive_interleaved_in_fragments_all_on_one_thread() throws Exception {
        LoopWatch.watch(() -> {
            List<String> questions = Zen.questions();
            Random random = new Random(2);
            try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
                InetSocketAddress address = server.start();
                List<ZenClient> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 200; i++) {
                        clients.add(ZenClient.connect(address, WAIT));
                    }
                    // Round by round, every client sends the next piece of its request: the server
                    // sees 200 requests in progress at once, in pieces of 1 to 6 bytes.
                    String[] rest = new String[clients.size()];
                    for (int i = 0; i < rest.length; i++) {
                        rest[i] = questions.get(i % questions.size());
                    }
                    boolean sent = true;
                    while (sent) {
                        sent = false;
                        for (int i = 0; i < rest.length; i++) {
                            if (!rest[i].isEmpty()) {
                                int n = Math.min(rest[i].length(), 1 + random.nextInt(6));
                                clients.get(i).send(rest[i].substring(0, n));
                                rest[i] = rest[i].substring(n);
                                sent = true;
                            }
                        }
                    }
                    for (int i = 0; i < clients.size(); i++) {
                        String question = questions.get(i % questions.size());
                        String what = "the answer to client " + i + "'s '" + question + "', sent in pieces of 1 to 6"
                                + " bytes between the other 199 clients' pieces";
                        assertThat(read(clients.get(i), what)).as(what).isEqualTo(Zen.answer(question));
                    }
                } finally {
                    for (ZenClient client : clients) {
                        client.close();
                    }
                }
                assertThat(server.stats().threads().values())
                        .as("threads that accepted, answered or closed clients: one loop thread does all of it")
                        .hasSize(1);
            }
        });
    }

    @Graded(task = "2.3")
    void forgets_a_client_that_resets_and_keeps_serving_the_others() throws Exception {
        LoopWatch.watch(() -> {
            try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
                InetSocketAddress address = server.start();
                try (ZenClient other = ZenClient.connect(address, WAIT)) {
                    assertThat(answer(other, "Simple is better than?")).isEqualTo("Complex.");
                    try (Socket rude = new Socket()) {
                        rude.connect(address);
                        rude.getOutputStream().write("Beautiful is".getBytes(US_ASCII));
                        rude.setSoLinger(true, 0); // close() now sends a reset
                    }
                    eventually(() -> assertThat(server.stats().closedCount())
                            .withFailMessage("2 s after a client reset its connection mid-request, the server had"
                                    + " closed %d connections: a reset makes read throw an IOException; catch it,"
                                    + " count it with stats.failed() and drop the client",
                                    server.stats().closedCount()).isEqualTo(1));
                    assertThat(answer(other, "Beautiful is better than?")).as("the other client's answer after a"
                            + " reset").isEqualTo("Ugly.");
                    eventually(() -> assertThat(server.registeredKeys())
                            .as("selector keys after a client reset: the listener's and the one client left")
                            .isEqualTo(2));
                }
            }
        });
    }

    @Graded(task = "2.3")
    void answers_a_client_that_half_closes_then_closes_its_connection() throws Exception {
        LoopWatch.watch(() -> {
            try (SelectZenServer server = new SelectZenServer(ANY_PORT);
                 Socket socket = new Socket()) {
                Todo.closeWhenReached(socket);
                socket.connect(server.start());
                socket.setSoTimeout((int) WAIT.toMillis());
                socket.getOutputStream().write("Beautiful is better than?Explicit is better than?".getBytes(US_ASCII));
                socket.shutdownOutput();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                boolean closed = readUntilClosed(socket.getInputStream(), all);
                String got = all.toString(US_ASCII);
                assertThat(got).as("what a client read after sending two requests and shutting down its output")
                        .isEqualTo("Ugly.Implicit.");
                assertThat(closed).withFailMessage("a client sent two requests and shut down its output; it got"
                        + " '%s', but the server had not closed the connection 2 s later: when read returns -1, the"
                        + " end of stream, drop the client. A key left at end of stream is readable for ever, and"
                        + " the loop spins", got).isTrue();
            }
        });
    }

    @Graded(task = "2.3")
    void notices_a_client_that_leaves_in_the_middle_of_a_request() throws Exception {
        LoopWatch.watch(() -> {
            try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
                InetSocketAddress address = server.start();
                try (ZenClient quitter = ZenClient.connect(address, WAIT)) {
                    quitter.send("Simple is");
                }
                eventually(() -> assertThat(server.stats().leftMidRequestCount())
                        .withFailMessage("a client sent 'Simple is' and closed; 2 s later the server had counted %d"
                                + " clients leaving mid-request: at the end of stream, call stats.leftMidRequest()"
                                + " if the RequestBuffer is inTheMiddleOfARequest()",
                                server.stats().leftMidRequestCount()).isEqualTo(1));
            }
        });
    }

    @Graded(task = "2.3")
    void closes_only_the_client_whose_request_is_too_long() throws Exception {
        LoopWatch.watch(() -> {
            try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
                InetSocketAddress address = server.start();
                try (ZenClient other = ZenClient.connect(address, WAIT);
                     ZenClient flooder = ZenClient.connect(address, WAIT)) {
                    assertThat(answer(flooder, "Simple is better than?")).isEqualTo("Complex.");
                    try {
                        flooder.send("x".repeat(4 * Zen.MAX_REQUEST_BYTES));
                    } catch (IOException closedWhileWriting) {
                        // The server may close before the last byte arrives: the behaviour wanted.
                    }
                    boolean closed = readUntilClosed(flooder.socket().getInputStream(), new ByteArrayOutputStream());
                    assertThat(closed).withFailMessage("a client sent %d bytes without a '?'; 2 s later the server had"
                            + " not closed it: the RequestBuffer throws ProtocolException past"
                            + " Zen.MAX_REQUEST_BYTES; catch it, count stats.failed() and drop the client",
                            4 * Zen.MAX_REQUEST_BYTES).isTrue();
                    assertThat(answer(other, "Explicit is better than?")).as("the other client's answer after a"
                            + " request that was too long").isEqualTo("Implicit.");
                }
            }
        });
    }

    @Graded(task = "2.3")
    void answers_others_while_one_client_sits_on_half_a_request() throws Exception {
        LoopWatch.watch(() -> {
            try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
                InetSocketAddress address = server.start();
                try (ZenClient slow = ZenClient.connect(address, WAIT);
                     ZenClient quick = ZenClient.connect(address, WAIT)) {
                    slow.send("Simple is");
                    quick.send("Beautiful is better than?");
                    assertThat(read(quick, "the answer to 'Beautiful is better than?' while another client sat on"
                            + " 'Simple is': is readable() waiting for a whole request? Read once per wake-up and"
                            + " keep the rest in the RequestBuffer")).isEqualTo("Ugly.");
                    slow.send(" better than?");
                    assertThat(read(slow, "the answer to 'Simple is' + ' better than?', sent in two reads"))
                            .isEqualTo("Complex.");
                }
            }
        });
    }

    @Graded(task = "2.3", points = 2)
    void drops_a_client_that_does_not_read_its_answers_and_serves_the_others() throws Exception {
        LoopWatch.watch(() -> {
            int requests = 1024 * 1024;
            try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
                InetSocketAddress address = server.start();
                try (ZenClient other = ZenClient.connect(address, WAIT);
                     Socket hog = new Socket()) {
                    assertThat(answer(other, "Simple is better than?")).isEqualTo("Complex.");
                    Todo.closeWhenReached(hog);
                    hog.setReceiveBufferSize(4096);
                    hog.connect(address);
                    hog.setSoTimeout((int) WAIT.toMillis());
                    // The hog sends its requests and reads none of the answers: 24 MB, far more than
                    // the kernel's buffers hold, so some write must take only part of an answer.
                    CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
                        try {
                            hog.getOutputStream().write("?".repeat(requests).getBytes(US_ASCII));
                        } catch (IOException closedWhileWriting) {
                            // The server closed it: the behaviour wanted.
                        }
                    });
                    try {
                        flooding.get(WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new AssertionError("a client that sent " + requests + " requests without reading the"
                                + " answers was still sending 4 s later: the server neither read its requests nor"
                                + " dropped it. When a write takes only part of an answer, answer() throws"
                                + " UncheckedIOException, and readable() must drop the client");
                    }
                    // Far more answers than the kernel's buffers hold; but on loopback they hold a few
                    // megabytes, a hundred thousand answers written one by one: seconds on a busy machine.
                    eventually(Duration.ofSeconds(10), () -> assertThat(server.stats().failedCount()).withFailMessage(
                            "a client sent %d requests without reading the %d MB of answers; 10 s later the server had"
                            + " not dropped"
                            + " it: when a write takes only part of an answer, the client is not reading; answer()"
                            + " then throws UncheckedIOException, and readable() must drop the client", requests,
                            requests * "Error: unknown aphorism.".length() >> 20).isPositive());
                    boolean closed = readUntilClosed(hog.getInputStream(), OutputSink.INSTANCE);
                    assertThat(closed).withFailMessage("the server counted a client that does not read its answers"
                            + " as failed, but did not close its connection: drop the client").isTrue();
                    flooding.cancel(true);
                    assertThat(answer(other, "Explicit is better than?")).as("another client's answer after one"
                            + " that did not read its answers was dropped").isEqualTo("Implicit.");
                }
            }
        });
    }

    /** Retries an assertion until it holds, for two seconds at most; then fails with its message. */
    private static void eventually(Runnable assertion) throws InterruptedException {
        eventually(WAIT, assertion);
    }

    /** Retries an assertion until it holds, for a while at most; then fails with its message. */
    private static void eventually(Duration limit, Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline || LoopWatch.loopDied()) {
                    throw notYet;
                }
            }
            Thread.sleep(10); // polling the server's counts, not waiting for an event
        }
    }

    /** Sends a request and reads its answer, or fails saying what did not come. */
    private static String answer(ZenClient client, String request) throws IOException {
        client.send(request);
        return read(client, "the answer to '" + request + "'");
    }

    /** Reads one answer, or fails saying what did not come. */
    private static String read(ZenClient client, String what) throws IOException {
        try {
            return client.readAnswer();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a client waited " + WAIT.toSeconds() + " s for " + what + "; nothing came");
        } catch (IOException e) {
            throw new AssertionError("a client waited for " + what + "; the connection failed instead: "
                    + e.getMessage());
        }
    }

    /**
     * Reads until the server closes the connection or nothing comes for two seconds.
     *
     * @return true if the stream ended or was reset, false if it stayed open
     */
    private static boolean readUntilClosed(InputStream in, java.io.OutputStream sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sink.write(buffer, 0, n);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Where the bytes go that a test reads only to reach the end of the stream. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
