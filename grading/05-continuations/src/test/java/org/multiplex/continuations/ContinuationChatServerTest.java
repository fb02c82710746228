package org.multiplex.continuations;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ChatServerChecks;
import org.multiplex.kit.testing.ChatServerChecks.Target;

/** Tasks 5.7 and 5.8: lesson 2's chat server, in blocking style, keeps every promise of lesson 2. */
class ContinuationChatServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a client waits for a line a correct server sends within milliseconds. */
    private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(2);

    /** Runs a check against a server just started. */
    private static void check(Check check) throws Exception {
        ContinuationChatServer server = new ContinuationChatServer(ANY_PORT);
        try (Fixtures.Closing closing = Fixtures.closing(server, "the check, once its chatters had left")) {
            InetSocketAddress address = server.start();
            check.run(new Target(address, server.stats(), server::chatters, ContinuationChatServer.MAX_LINE));
        }
    }

    @FunctionalInterface
    private interface Check {
        void run(Target server) throws Exception;
    }

    @Graded(task = "5.8", points = 2)
    void welcomes_a_newcomer_by_name_and_announces_arrivals_and_departures() throws Exception {
        check(ChatServerChecks::welcomesByNameAndAnnouncesArrivalsAndDepartures);
    }

    @Graded(task = "5.8", points = 4)
    void delivers_every_line_to_every_other_chatter_exactly_once_in_order() throws Exception {
        check(ChatServerChecks::deliversEveryLineToEveryOtherChatterOnceInOrder);
    }

    @Graded(task = "5.8", points = 2)
    void forgets_a_chatter_that_resets_and_sends_it_nothing_more() throws Exception {
        check(ChatServerChecks::forgetsAChatterThatResets);
    }

    @Graded(task = "5.8", points = 2)
    void keeps_serving_when_many_chatters_reset_at_once() throws Exception {
        check(ChatServerChecks::keepsServingWhenManyChattersResetAtOnce);
    }

    @Graded(task = "5.7", points = 2)
    void reassembles_lines_split_across_segments_and_splits_lines_sent_together() throws Exception {
        check(ChatServerChecks::framesLinesHoweverTheBytesAreCut);
    }

    @Graded(task = "5.7", points = 1)
    void disconnects_only_the_sender_of_a_line_too_long_whose_end_has_arrived() throws Exception {
        // MAX_LINE + 1 bytes and "\n" fit in the reader's buffer (MAX_LINE + 2): the line's end is there.
        refusesAnOversizedLine("y".repeat(ContinuationChatServer.MAX_LINE + 1) + "\n",
                "a line of MAX_LINE + 1 bytes, then its \\n (all of it fits in the buffer): does readLine refuse a line"
                        + " longer than maxLength even when its end has arrived?");
    }

    @Graded(task = "5.7", points = 1)
    void disconnects_only_the_sender_of_a_line_that_fills_the_buffer_with_no_line_end() throws Exception {
        // Exactly what the reader's buffer holds, so that the server has read every byte when it closes.
        refusesAnOversizedLine("z".repeat(ContinuationChatServer.MAX_LINE + 2),
                "MAX_LINE + 2 bytes with no line end (a full buffer): does readLine refuse a full buffer with no line"
                        + " end, rather than read again into a buffer with no room?");
    }

    /**
     * One chatter sends a line too long; it must read an error line and be disconnected, while
     * another chatter is told it left and goes on talking with a third.
     */
    private static void refusesAnOversizedLine(String sent, String hint) throws Exception {
        ContinuationChatServer server = new ContinuationChatServer(ANY_PORT);
        try (Fixtures.Closing closing = Fixtures.closing(server, hint)) {
            InetSocketAddress address = server.start();
            try (Client ann = new Client(address); Client bob = new Client(address)) {
                ann.line("ann's welcome");
                bob.line("bob's welcome");
                ann.line("news that bob joined");
                bob.out.write(sent.getBytes(StandardCharsets.UTF_8));
                bob.out.flush();
                String error = bob.line("the error line after " + hint);
                org.assertj.core.api.Assertions.assertThat(error).as("what bob read after he sent " + hint)
                        .startsWith("Error: ");
                org.assertj.core.api.Assertions.assertThat(bob.disconnected())
                        .as("whether bob was disconnected after the error line").isTrue();
                org.assertj.core.api.Assertions.assertThat(ann.line("news that bob left")).endsWith(" left");
                try (Client cat = new Client(address)) {
                    cat.line("cat's welcome");
                    ann.line("news that cat joined");
                    cat.out.write("still here\n".getBytes(StandardCharsets.UTF_8));
                    cat.out.flush();
                    org.assertj.core.api.Assertions.assertThat(ann.line("cat's line after bob was dropped"))
                            .endsWith(": still here");
                }
            }
        }
    }

    /** A chat client whose every read waits {@link #PATIENCE} at most. */
    private static final class Client implements AutoCloseable {
        final java.net.Socket socket = new java.net.Socket();
        final java.io.BufferedReader in;
        final java.io.OutputStream out;

        Client(InetSocketAddress address) throws java.io.IOException {
            org.multiplex.kit.Todo.closeWhenReached(socket);
            socket.connect(address, (int) PATIENCE.toMillis());
            socket.setSoTimeout((int) PATIENCE.toMillis());
            in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        /** Reads a line, or fails saying which line did not come. */
        String line(String what) throws java.io.IOException {
            try {
                String line = in.readLine();
                if (line == null) {
                    throw new AssertionError("the server closed the connection; expected " + what);
                }
                return line;
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("nothing came within " + PATIENCE.toSeconds() + " s; expected " + what);
            } catch (java.net.SocketException e) {
                throw new AssertionError("the connection failed (" + e.getMessage() + "); expected " + what);
            }
        }

        /** Returns whether the server has closed the connection: the next read ends the stream or resets. */
        boolean disconnected() throws java.io.IOException {
            try {
                return in.readLine() == null;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Graded(task = "5.8", points = 2)
    void drops_a_chatter_that_never_reads_and_keeps_the_others_talking() throws Exception {
        ContinuationChatServer server = new ContinuationChatServer(ANY_PORT);
        try (Fixtures.Closing closing = Fixtures.closing(server, "a chatter that never read, and two others")) {
            InetSocketAddress address = server.start();
            try (java.net.Socket deaf = new java.net.Socket();
                 ChatServerChecks.Chatter ann = new ChatServerChecks.Chatter(address);
                 ChatServerChecks.Chatter bob = new ChatServerChecks.Chatter(address)) {
                org.multiplex.kit.Todo.closeWhenReached(deaf);
                deaf.setReceiveBufferSize(4096);
                deaf.connect(address);
                ann.line();
                bob.line();
                ann.line();
                ann.line();
                bob.line();
                // The deaf chatter reads nothing: after its kernel buffers fill, what waits for it
                // grows until the server drops it. Meanwhile ann and bob must hear each other.
                String filler = "x".repeat(1000);
                int sent = 0;
                boolean dropped = false;
                while (!dropped) {
                    org.assertj.core.api.Assertions.assertThat(sent).as("lines of 1000 bytes sent while a chatter read"
                            + " nothing, and it was not dropped: a chatter with more than MAX_QUEUED_BYTES waiting for"
                            + " it must be dropped").isLessThan(10 * ContinuationChatServer.MAX_QUEUED_BYTES / 1000 + 10_000);
                    ann.say(filler);
                    sent++;
                    String heard = bob.line();
                    while (heard.endsWith(" left")) {
                        heard = bob.line();
                    }
                    org.assertj.core.api.Assertions.assertThat(heard).as("what bob heard of ann's line %d while a third"
                            + " chatter read nothing", sent).isEqualTo(ann.name() + ": " + filler);
                    dropped = server.chatters() == 2;
                }
                ann.say("still here");
                String line = bob.line();
                while (line.endsWith(" left")) {
                    line = bob.line();
                }
                org.assertj.core.api.Assertions.assertThat(line).as("what bob heard of ann after the deaf chatter was"
                        + " dropped").isEqualTo(ann.name() + ": still here");
            }
        }
    }
}
