package org.multiplex.blocking;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * Task 1.2: one conversation, over a real socket, without either server: the test accepts the
 * connection itself and hands it to {@code ZenConversation.serve}.
 */
class ZenConversationTest {

    private static final String EVERY_ANSWER = "does converse write each answer as soon as its request has come"
            + " (not into a buffer that nobody will flush), and go on until next() returns null?";

    @Graded(task = "1.2", points = 2)
    void answers_the_books_three_aphorisms() throws Exception {
        try (OneConversation conversation = new OneConversation();
             ZenClient client = Clients.connect(conversation.address())) {
            Clients.expectAnswer(client, "Beautiful is better than?", EVERY_ANSWER);
            Clients.expectAnswer(client, "Explicit is better than?", EVERY_ANSWER);
            Clients.expectAnswer(client, "Simple is better than?", EVERY_ANSWER);
        }
    }

    @Graded(task = "1.2")
    void answers_anything_else_with_the_error_answer() throws Exception {
        try (OneConversation conversation = new OneConversation();
             ZenClient client = Clients.connect(conversation.address())) {
            assertThat(Clients.ask(client, "Complicated is better than?", EVERY_ANSWER))
                    .as("answer to a request not in the table (Zen.answer gives it)").isEqualTo(Zen.UNKNOWN);
            client.send(new byte[] {(byte) 0xff, 0, (byte) 0x80, 7, '?'});
            assertThat(Clients.answer(client, "the client sent 4 bytes that are not text and a '?'",
                    "does converse hand the request's bytes to Zen.answer as they are?"))
                    .as("answer to bytes that are not text").isEqualTo(Zen.UNKNOWN);
            assertThat(Clients.ask(client, "Simple is better than?", EVERY_ANSWER)).as("answer after the errors")
                    .isEqualTo("Complex.");
        }
    }

    @Graded(task = "1.2", points = 2)
    void answers_requests_sent_in_one_write_in_order() throws Exception {
        List<String> questions = new ArrayList<>(Zen.questions());
        questions.addAll(Zen.questions());
        try (OneConversation conversation = new OneConversation();
             ZenClient client = Clients.connect(conversation.address())) {
            client.send(String.join("", questions));
            for (int i = 0; i < questions.size(); i++) {
                String answer = Clients.answer(client, "the client sent " + questions.size() + " requests in one write,"
                        + " read " + i + " of their answers, waited for the next", "does converse keep one ZenRequestReader for the whole"
                        + " conversation, so that the bytes after a '?' are the start of the next request?");
                assertThat(answer).as("answer %d of %d, to \"%s\", sent in one write with the others",
                        i + 1, questions.size(), questions.get(i)).isEqualTo(Zen.answer(questions.get(i)));
            }
        }
    }

    @Graded(task = "1.2", points = 2)
    void answers_a_request_sent_one_byte_at_a_time() throws Exception {
        try (OneConversation conversation = new OneConversation();
             ZenClient client = Clients.connect(conversation.address())) {
            for (byte b : "Explicit is better than?".getBytes(US_ASCII)) {
                client.send(new byte[] {b});
            }
            assertThat(Clients.answer(client, "the client sent \"Explicit is better than?\" one byte per write",
                    "does converse read requests with a ZenRequestReader, which waits until a '?' arrives?"))
                    .isEqualTo("Implicit.");
        }
    }

    @Graded(task = "1.2")
    void answers_every_request_of_a_client_that_half_closes_then_closes() throws Exception {
        try (OneConversation conversation = new OneConversation();
             Socket socket = new Socket()) {
            Todo.closeWhenReached(socket);
            socket.connect(conversation.address());
            socket.setSoTimeout((int) Clients.PATIENCE.toMillis());
            socket.getOutputStream().write("Beautiful is better than?Simple is better than?".getBytes(US_ASCII));
            socket.shutdownOutput();
            assertThat(readToEnd(socket.getInputStream(), "the client sent 2 requests and shut down its sending"
                    + " side (a half-close)", "does converse return when next() returns null, and serve then close"
                    + " the connection?"))
                    .as("everything the server sent before closing, after 2 requests and a half-close")
                    .isEqualTo("Ugly.Complex.");
            conversation.awaitEnd();
            assertThat(conversation.stats().answeredCount())
                    .as("answers counted with stats.answered() after 2 requests").isEqualTo(2);
            assertThat(conversation.stats().leftMidRequestCount())
                    .as("clients counted as leaving mid-request, after a clean half-close").isZero();
        }
    }

    @Graded(task = "1.2")
    void notices_a_client_that_leaves_in_the_middle_of_a_request() throws Exception {
        try (OneConversation conversation = new OneConversation()) {
            try (ZenClient client = Clients.connect(conversation.address())) {
                Clients.expectAnswer(client, "Simple is better than?", EVERY_ANSWER);
                client.send("Beautiful is bet");
            }
            conversation.awaitEnd();
            assertThat(conversation.stats().leftMidRequestCount())
                    .as("a client left mid-request, and serve counted it 0 times: does converse let the reader's"
                            + " EOFException reach serve, which counts it, instead of catching it?")
                    .isEqualTo(1);
        }
    }

    @Graded(task = "1.2")
    void closes_the_connection_of_a_client_whose_request_never_ends() throws Exception {
        int bytes = 4 * Zen.MAX_REQUEST_BYTES;
        try (OneConversation conversation = new OneConversation();
             ZenClient client = Clients.connect(conversation.address())) {
            Clients.expectAnswer(client, "Simple is better than?", EVERY_ANSWER);
            try {
                client.send("x".repeat(bytes));
            } catch (IOException closedWhileWriting) {
                // The server may close before the last byte arrives; that is the behaviour wanted.
            }
            Clients.expectClosed(client, "after " + bytes + " bytes without a '?':", "does next() throw"
                    + " ProtocolException once a request passes Zen.MAX_REQUEST_BYTES, and converse let it end the"
                    + " conversation?");
        }
    }

    private static String readToEnd(InputStream in, String situation, String hint) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (SocketTimeoutException e) {
            fail(situation + "; after " + Clients.PATIENCE.toSeconds() + " s the server had sent \""
                    + all.toString(US_ASCII) + "\" and not closed the connection: " + hint);
        }
        return all.toString(US_ASCII);
    }

    /** A listening socket whose one connection is served by {@code ZenConversation.serve}. */
    private static final class OneConversation implements AutoCloseable {

        private static final Duration END_LIMIT = Duration.ofSeconds(3);

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ConnectionStats stats = new ConnectionStats();
        private final Thread server = Thread.ofPlatform().name("test-conversation").daemon().start(this::acceptOne);

        OneConversation() throws IOException {
            Clients.warmUp();
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
            assertThat(server.join(END_LIMIT))
                    .as("ZenConversation.serve returned within %d s of the client closing (does converse return"
                            + " when next() returns null or throws?)", END_LIMIT.toSeconds()).isTrue();
            assertThat(stats.openCount()).as("connections left open after serve returned").isZero();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            listener.close();
            server.join(END_LIMIT);
        }
    }
}
