package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.multiplex.dispatcher.Fixtures.ANY_PORT;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.dispatcher.Fixtures.LoopThread;
import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;

/**
 * Task 4.5: cutting a stream into messages at terminators. Mostly fakes (a chat dispatcher with
 * no socket, fed as if by reads); one real connection that sends a byte at a time.
 */
class AsyncChatTest {

    private static final byte[] CRLF = {'\r', '\n'};

    /** Collects each message; the test may switch terminators when one is found. */
    private static class Messages extends AsyncChat {
        final List<String> messages = new ArrayList<>();
        final ByteArrayOutputStream current = new ByteArrayOutputStream();

        Messages(DispatcherLoop loop) {
            super(loop);
        }

        Messages(DispatcherLoop loop, SocketChannel connected) throws IOException {
            super(loop, connected);
        }

        @Override
        protected void collectIncomingData(ByteBuffer data) {
            byte[] piece = new byte[data.remaining()];
            data.get(piece);
            current.writeBytes(piece);
        }

        @Override
        protected void foundTerminator() {
            messages.add(current.toString(US_ASCII));
            current.reset();
        }

        @Override
        protected void handleClose() {
            close();
        }

        void read(String... reads) {
            for (String r : reads) {
                received(ByteBuffer.wrap(r.getBytes(US_ASCII)));
            }
        }
    }

    /**
     * A length-prefixed protocol: a line with a byte count, then that many bytes, answered with
     * "got: <bytes>". The terminator switches in foundTerminator, as an HTTP server's does between
     * the head and the body.
     */
    private static final class Prefixed extends Messages {
        private boolean inBody;

        Prefixed(DispatcherLoop loop) {
            super(loop);
            setTerminator(CRLF);
        }

        Prefixed(DispatcherLoop loop, SocketChannel connected) throws IOException {
            super(loop, connected);
            setTerminator(CRLF);
        }

        @Override
        protected void foundTerminator() {
            super.foundTerminator();
            String message = messages.get(messages.size() - 1);
            if (inBody) {
                setTerminator(CRLF);
                if (isConnected()) {
                    push(("got: " + message + "\n").getBytes(US_ASCII));
                    if (message.equals("bye")) {
                        closeWhenDone();
                    }
                }
            } else if (message.matches("[0-9]+")) {
                setTerminator(Long.parseLong(message));
            } else {
                throw new IllegalStateException("a count line was expected, and the message found was \""
                        + Fixtures.shorten(message) + "\" (messages so far " + Fixtures.shorten(messages) + ")");
            }
            inBody = !inBody;
        }
    }

    /** Shows messages with their line ends escaped, shortened. */
    private static String printable(List<String> messages) {
        return Fixtures.shorten(messages.stream().map(m -> "\"" + m.replace("\r", "\\r").replace("\n", "\\n") + "\"")
                .toList());
    }

    @Graded(task = "4.5", points = 2)
    void a_delimiter_split_across_reads_is_found_and_never_handed_on_as_data() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            Messages chat = new Messages(loop);
            chat.setTerminator(CRLF);
            String hint = ": a delimiter cut across two reads must still be found. Does findTerminators keep back"
                    + " the bytes at the end of a read that may begin it (prefixAtEnd), and hand on only the rest?";
            chat.read("hel", "lo\r", "\nwor", "ld\r", "\n");
            assertThat(chat.messages).withFailMessage("reads \"hel\" \"lo\\r\" \"\\nwor\" \"ld\\r\" \"\\n\" with the"
                    + " delimiter \\r\\n gave the messages %s, not [hello, world]" + hint, printable(chat.messages))
                    .containsExactly("hello", "world");
            chat.read("a\r\r", "\n");
            assertThat(chat.messages).withFailMessage("after the reads \"a\\r\\r\" and \"\\n\" the messages were %s,"
                    + " the last not \"a\\r\"" + hint, printable(chat.messages)).containsExactly("hello", "world", "a\r");
            chat.setTerminator("<END>".getBytes(US_ASCII));
            chat.read("x<EN", "y<E", "N", "D", ">");
            assertThat(chat.messages).withFailMessage("with the delimiter <END>, the reads \"x<EN\" \"y<E\" \"N\" \"D\""
                    + " \">\" gave the messages %s, the last not \"x<ENy\"" + hint, printable(chat.messages))
                    .containsExactly("hello", "world", "a\r", "x<ENy");
        }
    }

    @Graded(task = "4.5", points = 2)
    void several_messages_in_one_read_are_each_found_in_order() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            Messages chat = new Messages(loop);
            chat.setTerminator(CRLF);
            chat.read("one\r\ntwo\r\n\r\nthree\r\nfour");
            assertThat(chat.messages).withFailMessage("one read of \"one\\r\\ntwo\\r\\n\\r\\nthree\\r\\nfour\" gave"
                    + " the messages %s, not [one, two, , three]: several messages may come in one read; does"
                    + " findTerminators go on until the buffer is empty?", printable(chat.messages))
                    .containsExactly("one", "two", "", "three");
            chat.read("\r\n");
            assertThat(chat.messages).as("messages after a last read of \"\\r\\n\" (the unfinished \"four\" is kept)")
                    .containsExactly("one", "two", "", "three", "four");
        }
    }

    @Graded(task = "4.5", points = 2)
    void a_byte_count_terminator_takes_exactly_that_many_bytes_then_the_next_terminator_applies() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            Prefixed chat = new Prefixed(loop);
            try {
                chat.read("5\r\nhel", "lo3\r", "\nab\r", "12\r\n" + "\r\n".repeat(6) + "2\r\nok");
            } catch (IllegalStateException e) {
                fail(e.getMessage() + ". With a count as the terminator, findTerminators must collect exactly that"
                        + " many bytes, no more, and call foundTerminator when the count reaches 0");
            }
            assertThat(chat.messages).withFailMessage("a count line, then a body of that many bytes (which may hold the"
                    + " delimiter), gave %s: with a count as the terminator, findTerminators must collect exactly"
                    + " that many bytes, no more, call foundTerminator when the count reaches 0, and go on with the"
                    + " terminator it sets", printable(chat.messages))
                    .containsExactly("5", "hello", "3", "ab\r", "12", "\r\n".repeat(6), "2", "ok");
        }
    }

    @Graded(task = "4.5", points = 1)
    void with_no_terminator_every_byte_is_data() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            Messages chat = new Messages(loop);
            chat.clearTerminator();
            chat.read("no\r\nterminator", " at all\r\n");
            assertThat(chat.messages).withFailMessage("with no terminator, messages %s were found: every byte is data,"
                    + " and foundTerminator is never called", printable(chat.messages)).isEmpty();
            assertThat(chat.current.toString(US_ASCII)).as("bytes collected with no terminator (all of them)")
                    .isEqualTo("no\r\nterminator at all\r\n");
        }
    }

    @Graded(task = "4.5", points = 3)
    void a_length_prefixed_server_answers_a_client_that_sends_one_byte_at_a_time() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); Socket client = new Socket()) {
            Recorder listener = new Recorder(loop) {
                @Override
                protected void handleAccept() throws IOException {
                    SocketChannel accepted = accept();
                    if (accepted != null) {
                        new Prefixed(loop(), accepted);
                    }
                }
            };
            listener.createSocket();
            listener.bind(ANY_PORT);
            listener.listen(1);
            Todo.closeWhenReached(client);
            client.connect(listener.localAddress());
            client.setSoTimeout(5000);
            client.setTcpNoDelay(true);
            try (LoopThread _ = new LoopThread(loop)) {
                OutputStream out = client.getOutputStream();
                for (byte b : "5\r\nhello12\r\nhello\r\nworld3\r\nbye".getBytes(US_ASCII)) {
                    out.write(b);
                    out.flush();
                }
                client.setSoTimeout((int) Fixtures.PATIENCE.toMillis());
                ByteArrayOutputStream answered = new ByteArrayOutputStream();
                try {
                    client.getInputStream().transferTo(answered);
                } catch (SocketTimeoutException e) {
                    fail("a client sent three length-prefixed messages a byte at a time; %d s later the server had"
                            + " answered \"%s\" and not closed: are terminators found across reads, and does a"
                            + " count collect exactly its bytes?", Fixtures.PATIENCE.toSeconds(),
                            printable(List.of(answered.toString(US_ASCII))));
                }
                assertThat(answered.toString(US_ASCII))
                        .as("what the server answered before closing, to messages sent one byte at a time")
                        .isEqualTo("got: hello\ngot: hello\r\nworld\ngot: bye\n");
            }
        }
    }
}
