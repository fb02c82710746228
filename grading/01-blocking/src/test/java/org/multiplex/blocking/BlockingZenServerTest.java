package org.multiplex.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.multiplex.blocking.Clients.Closing;
import org.multiplex.kit.chaos.Chaos;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.Leaks;
import org.multiplex.kit.zen.ZenClient;

/** Task 1.3: the single-threaded server, one client at a time. */
class BlockingZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Why close() may hang: the two details the lesson calls easy to get wrong. */
    private static final String CLOSE_HINT = "does serveForever remember the client it serves in current (close()"
            + " closes that socket), and does its loop end once the listener is closed?";

    /** The stall the lesson shows, and the time the second client waits to see it. */
    private static final Duration STALL = Duration.ofSeconds(1);

    @Graded(task = "1.3", points = 2)
    void answers_a_client_as_soon_as_start_returns() throws Exception {
        BlockingZenServer server = new BlockingZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            try (ZenClient client = Clients.connect(address)) {
                Clients.expectAnswer(client, "Beautiful is better than?", "does serveForever accept a client and"
                        + " serve it with ZenConversation.serve?");
            }
        }
    }

    @Graded(task = "1.3", points = 2)
    void serves_clients_one_after_another() throws Exception {
        BlockingZenServer server = new BlockingZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            for (int i = 1; i <= 20; i++) {
                try (ZenClient client = Clients.connect(address)) {
                    client.send("Simple is better than?");
                    assertThat(Clients.answer(client, "client " + i + " of 20, each connecting once the one before"
                            + " had its answer and left, sent \"Simple is better than?\"", "does serveForever go"
                            + " back to accept() for the next client when one leaves?"))
                            .as("answer to client %d", i).isEqualTo("Complex.");
                }
            }
        }
    }

    @Graded(task = "1.3", points = 3)
    void does_not_answer_a_second_client_while_the_first_stays_connected() throws Exception {
        // The lesson's point, as a test: the pause below is the behaviour under test, not a way
        // to wait for something.
        BlockingZenServer server = new BlockingZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            try (ZenClient first = Clients.connect(address)) {
                Clients.expectAnswer(first, "Simple is better than?", "does serveForever serve a client with"
                        + " ZenConversation.serve?");
                try (ZenClient second = ZenClient.connect(address, STALL)) {
                    second.send("Explicit is better than?");
                    try {
                        String answer = second.readAnswer();
                        fail("a second client got \"" + answer + "\" while the first was still connected:"
                                + " BlockingZenServer must serve one client at a time, on its one thread, until it"
                                + " leaves (the lesson's point: one slow client stalls everyone)");
                    } catch (SocketTimeoutException stalled) {
                        // The behaviour wanted: nobody reads the second client's request yet.
                    }
                    first.close();
                    second.socket().setSoTimeout((int) Clients.PATIENCE.toMillis());
                    assertThat(Clients.answer(second, "the first client left; the second, which had sent"
                            + " \"Explicit is better than?\" while the first was connected, waited",
                            "does serveForever accept the next client once a conversation ends?"))
                            .as("the second client's answer once the first has left").isEqualTo("Implicit.");
                }
            }
        }
    }

    @Graded(task = "1.3", points = 2)
    void a_client_that_leaves_in_the_middle_of_a_request_does_not_disturb_the_next() throws Exception {
        BlockingZenServer server = new BlockingZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            try (ZenClient quitter = Clients.connect(address)) {
                quitter.send("Beautiful is");
            }
            try (ZenClient next = Clients.connect(address)) {
                Clients.expectAnswer(next, "Beautiful is better than?", "a client had left in the middle of a"
                        + " request before this one came: does serveForever go on to accept the next client?");
            }
            assertThat(server.stats().leftMidRequestCount())
                    .as("clients counted as leaving mid-request (ZenConversation.serve counts it)").isEqualTo(1);
        }
    }

    @Graded(task = "1.3", points = 2)
    void a_client_that_resets_the_connection_does_not_disturb_the_next() throws Exception {
        BlockingZenServer server = new BlockingZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            Chaos.reset(address, "Simple is", Clients.PATIENCE);
            try (ZenClient next = Clients.connect(address)) {
                Clients.expectAnswer(next, "Simple is better than?", "a client had reset its connection"
                        + " (SO_LINGER 0) before this one came: does serveForever go on to accept the next client?");
            }
        }
    }

    @Graded(task = "1.3", points = 2)
    void leaves_no_thread_or_socket_behind_when_closed_with_a_client_connected() throws Exception {
        Leaks.Snapshot before = Leaks.snapshot();
        BlockingZenServer server = new BlockingZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT);
             ZenClient client = Clients.connect(server.start())) {
            Clients.expectAnswer(client, "Simple is better than?", "does serveForever serve a client with"
                    + " ZenConversation.serve?");
            closing.closeNow();
            Clients.expectClosed(client, "after server.close() with this client connected:", "does serveForever"
                    + " remember the client it serves in current, so that close() can close its socket?");
        }
        Clients.expectNothingLeft(before, "after server.close() with a client connected", "does serveForever"
                + " end, and close the client it serves, once close() has closed the listener and that client?");
    }
}
