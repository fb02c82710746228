package org.multiplex.continuations;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ChatServerChecks;
import org.multiplex.kit.testing.ChatServerChecks.Target;

/** Tasks 5.7 and 5.8: lesson 2's chat server, in blocking style, keeps every promise of lesson 2. */
class ContinuationChatServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Runs a check against a server just started. */
    private static void check(Check check) throws Exception {
        try (ContinuationChatServer server = new ContinuationChatServer(ANY_PORT)) {
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

    @Graded(task = "5.7", points = 2)
    void disconnects_only_the_sender_of_an_oversized_line_with_an_error_line() throws Exception {
        check(ChatServerChecks::disconnectsOnlyTheSenderOfAnOversizedLine);
    }

    @Graded(task = "5.8", points = 2)
    void drops_a_chatter_that_never_reads_and_keeps_the_others_talking() throws Exception {
        try (ContinuationChatServer server = new ContinuationChatServer(ANY_PORT)) {
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
                    org.assertj.core.api.Assertions.assertThat(sent).as("lines sent before the deaf chatter was dropped")
                            .isLessThan(10 * ContinuationChatServer.MAX_QUEUED_BYTES / 1000 + 10_000);
                    ann.say(filler);
                    sent++;
                    String heard = bob.line();
                    while (heard.endsWith(" left")) {
                        heard = bob.line();
                    }
                    org.assertj.core.api.Assertions.assertThat(heard).isEqualTo(ann.name() + ": " + filler);
                    dropped = server.chatters() == 2;
                }
                ann.say("still here");
                String line = bob.line();
                while (line.endsWith(" left")) {
                    line = bob.line();
                }
                org.assertj.core.api.Assertions.assertThat(line).isEqualTo(ann.name() + ": still here");
            }
        }
    }
}
