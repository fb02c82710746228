package org.multiplex.select;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ChatServerChecks;
import org.multiplex.kit.testing.ChatServerChecks.Target;

/** Tasks 2.4 and 2.5 over real sockets: fan-out, notices, line framing, the line limit. */
class SelectChatServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Runs a check against a server just started. */
    private static void check(Check check) throws Exception {
        try (SelectChatServer server = new SelectChatServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            check.run(new Target(address, server.stats(), server::chatters, SelectChatServer.MAX_LINE));
        }
    }

    @FunctionalInterface
    private interface Check {
        void run(Target server) throws Exception;
    }

    @Graded(task = "2.4", points = 2)
    void welcomes_a_newcomer_by_name_and_announces_arrivals_and_departures() throws Exception {
        check(ChatServerChecks::welcomesByNameAndAnnouncesArrivalsAndDepartures);
    }

    @Graded(task = "2.4", points = 4)
    void delivers_every_line_to_every_other_chatter_exactly_once_in_order() throws Exception {
        check(ChatServerChecks::deliversEveryLineToEveryOtherChatterOnceInOrder);
    }

    @Graded(task = "2.4", points = 2)
    void forgets_a_chatter_that_resets_and_sends_it_nothing_more() throws Exception {
        check(ChatServerChecks::forgetsAChatterThatResets);
    }

    @Graded(task = "2.4", points = 2)
    void keeps_serving_when_many_chatters_reset_at_once() throws Exception {
        check(ChatServerChecks::keepsServingWhenManyChattersResetAtOnce);
    }

    @Graded(task = "2.5", points = 2)
    void reassembles_lines_split_across_segments_and_splits_lines_sent_together() throws Exception {
        check(ChatServerChecks::framesLinesHoweverTheBytesAreCut);
    }

    @Graded(task = "2.5", points = 2)
    void disconnects_only_the_sender_of_an_oversized_line_with_an_error_line() throws Exception {
        check(ChatServerChecks::disconnectsOnlyTheSenderOfAnOversizedLine);
    }
}
