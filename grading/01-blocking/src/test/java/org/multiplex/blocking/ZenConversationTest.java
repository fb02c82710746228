package org.multiplex.blocking;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * Task 1.2: one conversation, over a real socket, without either server: the test accepts the
 * connection itself and hands it to {@code ZenConversation.serve}.
 */
class ZenConversationTest {

    @Graded(task = "1.2", points = 2)
    void answers_the_books_three_aphorisms() throws Exception {
        try (OneConversation conversation = new OneConversation();
             ZenClient client = ZenClient.connect(conversation.address())) {
            assertThat(client.ask("Beautiful is better than?")).isEqualTo("Ugly.");
            assertThat(client.ask("Explicit is better than?")).isEqualTo("Implicit.");
            assertThat(client.ask("Simple is better than?")).isEqualTo("Complex.");
        }
    }

    @Graded(task = "1.2")
    void answers_anything_else_with_the_error_answer() throws Exception {
        try (OneConversation conversation = new OneConversation();
             ZenClient client = ZenClient.connect(conversation.address())) {
            assertThat(client.ask("Complicated is better than?")).isEqualTo("Error: unknown aphorism.");
            client.send(new byte[] {(byte) 0xff, 0, (byte) 0x80, 7, '?'});
            assertThat(client.readAnswer()).as("answer to bytes that are not text").isEqualTo("Error: unknown aphorism.");
            assertThat(client.ask("Simple is better than?")).as("answer after the errors").isEqualTo("Complex.");
        }
    }

    @Graded(task = "1.2", points = 2)
    void answers_requests_sent_in_one_write_in_order() throws Exception {
        List<String> questions = Zen.questions();
        try (OneConversation conversation = new OneConversation();
             ZenClient client = ZenClient.connect(conversation.address())) {
            client.send(String.join("", questions) + String.join("", questions));
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 2 * questions.size(); i++) {
                answers.add(client.readAnswer());
            }
            List<String> expected = new ArrayList<>();
            questions.forEach(q -> expected.add(Zen.answer(q)));
            questions.forEach(q -> expected.add(Zen.answer(q)));
            assertThat(answers).as("answers to %s, sent twice in one write", questions).containsExactlyElementsOf(expected);
        }
    }

    @Graded(task = "1.2", points = 2)
    void answers_a_request_sent_one_byte_at_a_time() throws Exception {
        try (OneConversation conversation = new OneConversation();
             ZenClient client = ZenClient.connect(conversation.address())) {
            for (byte b : "Explicit is better than?".getBytes(US_ASCII)) {
                client.send(new byte[] {b});
            }
            assertThat(client.readAnswer()).isEqualTo("Implicit.");
        }
    }

    @Graded(task = "1.2")
    void answers_every_request_of_a_client_that_half_closes_then_closes() throws Exception {
        try (OneConversation conversation = new OneConversation();
             Socket socket = new Socket()) {
            socket.connect(conversation.address());
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            socket.getOutputStream().write("Beautiful is better than?Simple is better than?".getBytes(US_ASCII));
            socket.shutdownOutput();
            assertThat(readToEnd(socket.getInputStream()))
                    .as("everything the server sent before closing").isEqualTo("Ugly.Complex.");
            conversation.awaitEnd();
            assertThat(conversation.stats().answeredCount()).isEqualTo(2);
            assertThat(conversation.stats().leftMidRequestCount()).as("clients counted as leaving mid-request").isZero();
        }
    }

    @Graded(task = "1.2")
    void notices_a_client_that_leaves_in_the_middle_of_a_request() throws Exception {
        try (OneConversation conversation = new OneConversation()) {
            try (ZenClient client = ZenClient.connect(conversation.address())) {
                assertThat(client.ask("Simple is better than?")).isEqualTo("Complex.");
                client.send("Beautiful is bet");
            }
            conversation.awaitEnd();
            assertThat(conversation.stats().leftMidRequestCount())
                    .as("clients counted as leaving mid-request (ZenConversation counts it when the reader throws EOFException)")
                    .isEqualTo(1);
        }
    }

    @Graded(task = "1.2")
    void closes_the_connection_of_a_client_whose_request_never_ends() throws Exception {
        try (OneConversation conversation = new OneConversation();
             ZenClient client = ZenClient.connect(conversation.address())) {
            assertThat(client.ask("Simple is better than?")).isEqualTo("Complex.");
            try {
                client.send("x".repeat(4 * Zen.MAX_REQUEST_BYTES));
            } catch (IOException closedWhileWriting) {
                // The server may close before the last byte arrives; that is the behaviour wanted.
            }
            assertThat(client.serverClosed()).as("server closed the connection after %d bytes without '?'",
                    4 * Zen.MAX_REQUEST_BYTES).isTrue();
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(US_ASCII);
    }

    /** A listening socket whose one connection is served by {@code ZenConversation.serve}. */
    private static final class OneConversation implements AutoCloseable {

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ConnectionStats stats = new ConnectionStats();
        private final Thread server = Thread.ofPlatform().name("test-conversation").start(this::acceptOne);

        OneConversation() throws IOException {
        }

        private void acceptOne() {
            try {
                Socket client = listener.accept();
                stats.accepted();
                ZenConversation.serve(client, stats);
            } catch (IOException e) {
                // The test closed the listener before anyone connected.
            }
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        ConnectionStats stats() {
            return stats;
        }

        /** Waits until the conversation has ended and closed its socket. */
        void awaitEnd() throws InterruptedException {
            assertThat(server.join(Duration.ofSeconds(10)))
                    .as("ZenConversation.serve returned within 10 s of the client closing").isTrue();
            assertThat(stats.openCount()).as("connections left open after serve returned").isZero();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            listener.close();
            server.join(Duration.ofSeconds(10));
        }
    }
}
