package org.multiplex.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ChatServerChecks;
import org.multiplex.kit.testing.ChatServerChecks.Chatter;
import org.multiplex.kit.testing.ChatServerChecks.Target;

/** Tasks 2.4 and 2.5 over real sockets: fan-out, notices, slow readers, line framing, the line limit. */
class SelectChatServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Runs a check against a server just started. */
    private static void check(Check check) throws Exception {
        LoopWatch.watch(() -> {
            try (SelectChatServer server = new SelectChatServer(ANY_PORT)) {
                InetSocketAddress address = server.start();
                check.run(new Target(address, server.stats(), server::chatters, SelectChatServer.MAX_LINE));
            }
        });
    }

    @FunctionalInterface
    private interface Check {
        void run(Target server) throws Exception;
    }

    @Graded(task = "2.4", points = 2)
    void welcomes_a_newcomer_by_name_and_announces_arrivals_and_departures() throws Exception {
        check(ChatServerChecks::welcomesByNameAndAnnouncesArrivalsAndDepartures);
    }

    @Graded(task = "2.4", points = 3)
    void delivers_every_line_to_every_other_chatter_exactly_once_in_order() throws Exception {
        check(ChatServerChecks::deliversEveryLineToEveryOtherChatterOnceInOrder);
    }

    @Graded(task = "2.4", points = 2)
    void forgets_a_chatter_that_resets_and_sends_it_nothing_more() throws Exception {
        check(ChatServerChecks::forgetsAChatterThatResets);
    }

    @Graded(task = "2.4")
    void keeps_serving_when_many_chatters_reset_at_once() throws Exception {
        check(ChatServerChecks::keepsServingWhenManyChattersResetAtOnce);
    }

    @Graded(task = "2.4", points = 2)
    void drops_chatters_too_slow_to_take_a_line_and_tells_everyone_after_the_line() throws Exception {
        check(SelectChatServerTest::dropsSlowReadersAfterTheLine);
    }

    @Graded(task = "2.5", points = 2)
    void reassembles_lines_split_across_segments_and_splits_lines_sent_together() throws Exception {
        check(ChatServerChecks::framesLinesHoweverTheBytesAreCut);
    }

    @Graded(task = "2.5", points = 2)
    void disconnects_only_the_sender_of_an_oversized_line_with_an_error_line() throws Exception {
        check(ChatServerChecks::disconnectsOnlyTheSenderOfAnOversizedLine);
    }

    /**
     * Three chatters that never read, among twelve that do: a talker's long lines fill the slow
     * ones' buffers until a write takes only part of a line, and each of them must be dropped and
     * announced. Every reader must hear the same lines in the same order: a leave notice sent in
     * the middle of a broadcast would reach the readers later in the walk before the line.
     */
    private static void dropsSlowReadersAfterTheLine(Target server) throws Exception {
        int readers = 12;
        int slow = 3;
        long limit = 6L * 1024 * 1024; // the kernel holds at most 4 MB for one socket, by default
        String padding = "z".repeat(1000);
        List<Chatter> listeners = new ArrayList<>();
        List<Socket> sleepers = new ArrayList<>();
        try (Chatter talker = new Chatter(server.address())) {
            talker.line("the talker's welcome");
            for (int i = 0; i < readers; i++) {
                Chatter c = new Chatter(server.address());
                c.line("a welcome");
                listeners.add(c);
            }
            Set<String> slowNames = new HashSet<>();
            for (int i = 0; i < slow; i++) {
                Socket s = new Socket();
                Todo.closeWhenReached(s);
                s.setReceiveBufferSize(4096);
                s.connect(server.address());
                sleepers.add(s);
                slowNames.add(s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort());
            }
            for (int i = 0; i < readers; i++) {
                for (int j = i + 1; j < readers + slow; j++) {
                    listeners.get(i).line("the notices of the chatters who joined after it");
                }
            }
            List<List<String>> heard = new ArrayList<>();
            listeners.forEach(l -> heard.add(new ArrayList<>()));
            Set<String> left = new HashSet<>();
            long sent = 0;
            for (int n = 0; left.size() < slow && sent < limit; n++) {
                String text = "line " + n + " " + padding;
                talker.say(text);
                sent += text.length() + talker.name().length() + 3;
                String expected = talker.name() + ": " + text;
                for (int i = 0; i < readers; i++) {
                    for (String line = ""; !line.equals(expected); ) {
                        line = listeners.get(i).line("line " + n + " of a talker");
                        heard.get(i).add(line.length() > 40 ? line.substring(0, 40) + "..." : line);
                        if (i == 0 && line.startsWith("* ") && line.endsWith(" left")) {
                            left.add(line.substring(2, line.length() - " left".length()));
                        }
                    }
                }
            }
            assertThat(left).withFailMessage("%d chatters that read nothing were sent %d KB of lines and %s dropped:"
                    + " when send() reports that a socket took only part of a line, broadcast must remember that"
                    + " chatter and leave() it", slow, sent / 1024, left.isEmpty() ? "none was" : "only "
                    + left.size() + " were").containsAll(slowNames);
            for (int i = 1; i < readers; i++) {
                int at = firstDifference(heard.get(0), heard.get(i));
                assertThat(at).withFailMessage("two chatters heard the room in different orders: one read '%s'"
                        + " where the other read '%s'. A leave notice is a broadcast too: broadcast must leave()"
                        + " the chatters too slow to take a line after its walk over the keys, not in the middle"
                        + " of it", at < 0 ? "" : heard.get(0).get(at), at < 0 ? "" : heard.get(i).get(at))
                        .isNegative();
            }
        } finally {
            for (Chatter c : listeners) {
                c.close();
            }
            for (Socket s : sleepers) {
                s.close();
            }
        }
    }

    private static int firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return a.size() == b.size() ? -1 : Math.min(a.size(), b.size());
    }
}
