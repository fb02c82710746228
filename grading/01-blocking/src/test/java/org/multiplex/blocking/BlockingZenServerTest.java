package org.multiplex.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.multiplex.kit.chaos.Chaos;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.Leaks;
import org.multiplex.kit.zen.ZenClient;

/** Task 1.3: the single-threaded server, one client at a time. */
class BlockingZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Graded(task = "1.3", points = 2)
    void answers_a_client_as_soon_as_start_returns() throws Exception {
        try (BlockingZenServer server = new BlockingZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient client = ZenClient.connect(address)) {
                assertThat(client.ask("Beautiful is better than?")).isEqualTo("Ugly.");
            }
        }
    }

    @Graded(task = "1.3", points = 2)
    void serves_clients_one_after_another() throws Exception {
        try (BlockingZenServer server = new BlockingZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            for (int i = 0; i < 20; i++) {
                try (ZenClient client = ZenClient.connect(address)) {
                    assertThat(client.ask("Simple is better than?")).as("answer to client %d", i).isEqualTo("Complex.");
                }
            }
        }
    }

    @Graded(task = "1.3", points = 3)
    void does_not_answer_a_second_client_while_the_first_stays_connected() throws Exception {
        // The lesson's point, as a test: the pause below is the behaviour under test, not a way
        // to wait for something.
        try (BlockingZenServer server = new BlockingZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient first = ZenClient.connect(address)) {
                assertThat(first.ask("Simple is better than?")).isEqualTo("Complex.");
                try (ZenClient second = ZenClient.connect(address, Duration.ofSeconds(1))) {
                    second.send("Explicit is better than?");
                    assertThatThrownBy(second::readAnswer)
                            .as("the second client's read while the first is still connected")
                            .isInstanceOf(SocketTimeoutException.class);
                    first.close();
                    second.socket().setSoTimeout(10_000);
                    assertThat(second.readAnswer()).as("the second client's answer once the first has left")
                            .isEqualTo("Implicit.");
                }
            }
        }
    }

    @Graded(task = "1.3", points = 2)
    void a_client_that_leaves_in_the_middle_of_a_request_does_not_disturb_the_next() throws Exception {
        try (BlockingZenServer server = new BlockingZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient quitter = ZenClient.connect(address)) {
                quitter.send("Beautiful is");
            }
            try (ZenClient next = ZenClient.connect(address)) {
                assertThat(next.ask("Beautiful is better than?")).isEqualTo("Ugly.");
            }
            assertThat(server.stats().leftMidRequestCount()).as("clients counted as leaving mid-request").isEqualTo(1);
        }
    }

    @Graded(task = "1.3", points = 2)
    void a_client_that_resets_the_connection_does_not_disturb_the_next() throws Exception {
        try (BlockingZenServer server = new BlockingZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            Chaos.reset(address, "Simple is");
            try (ZenClient next = ZenClient.connect(address)) {
                assertThat(next.ask("Simple is better than?")).isEqualTo("Complex.");
            }
        }
    }

    @Graded(task = "1.3", points = 2)
    void leaves_no_thread_or_socket_behind_when_closed_with_a_client_connected() throws Exception {
        Leaks.Snapshot before = Leaks.snapshot();
        BlockingZenServer server = new BlockingZenServer(ANY_PORT);
        InetSocketAddress address = server.start();
        try (ZenClient client = ZenClient.connect(address)) {
            assertThat(client.ask("Simple is better than?")).isEqualTo("Complex.");
            server.close();
            assertThat(client.serverClosed()).as("the client's connection was closed by server.close()").isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().openCount() == 0);
        before.assertNothingLeft();
    }
}
