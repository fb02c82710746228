package org.multiplex.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.multiplex.kit.chaos.Chaos;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.Leaks;
import org.multiplex.kit.testing.ZenServerChecks;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Task 1.4: a thread per connection. */
class ThreadedZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Graded(task = "1.4", points = 2)
    void answers_a_second_client_while_the_first_stays_connected() throws Exception {
        try (ThreadedZenServer server = new ThreadedZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient first = ZenClient.connect(address);
                 ZenClient second = ZenClient.connect(address)) {
                first.send("Beautiful is better");
                assertThat(second.ask("Explicit is better than?"))
                        .as("the second client's answer while the first is halfway through a request")
                        .isEqualTo("Implicit.");
                first.send(" than?");
                assertThat(first.readAnswer()).isEqualTo("Ugly.");
            }
        }
    }

    @Graded(task = "1.4", points = 4)
    void answers_200_concurrent_slow_clients() throws Exception {
        int clients = 200;
        List<String> questions = Zen.questions();
        try (ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            InetSocketAddress address = server.start();
            CountDownLatch allHalfway = new CountDownLatch(clients);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String question = questions.get(i % questions.size());
                answers.add(pool.submit(() -> {
                    try (ZenClient client = ZenClient.connect(address)) {
                        // Every client sends half its request, then waits for all the others to
                        // do the same: 200 requests in progress at once.
                        try {
                            client.send(question.substring(0, 5));
                        } finally {
                            allHalfway.countDown();
                        }
                        assertThat(allHalfway.await(20, TimeUnit.SECONDS)).as("all clients sent half a request").isTrue();
                        client.send(question.substring(5));
                        return client.readAnswer();
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                String question = questions.get(i % questions.size());
                assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).as("answer to client %d (%s)", i, question)
                        .isEqualTo(Zen.answer(question));
            }
            assertThat(server.stats().acceptedCount()).isEqualTo(clients);
        }
    }

    @Graded(task = "1.4", points = 2)
    void a_client_that_resets_the_connection_does_not_disturb_the_others() throws Exception {
        try (ThreadedZenServer server = new ThreadedZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient other = ZenClient.connect(address)) {
                assertThat(other.ask("Simple is better than?")).isEqualTo("Complex.");
                Chaos.reset(address, "Simple is");
                assertThat(other.ask("Beautiful is better than?")).as("answer on the connection that stayed").isEqualTo("Ugly.");
            }
        }
    }

    @Graded(task = "1.4", points = 3)
    void answers_every_complete_request_of_clients_that_attack_at_once() throws Exception {
        try (ThreadedZenServer server = new ThreadedZenServer(ANY_PORT)) {
            ZenServerChecks.answersEveryCompleteRequestOfClientsThatAttackAtOnce(server.start());
        }
    }

    @Graded(task = "1.4", points = 2)
    void ends_each_clients_thread_when_the_client_leaves() throws Exception {
        try (ThreadedZenServer server = new ThreadedZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            Leaks.Snapshot running = Leaks.snapshot();
            for (int i = 0; i < 50; i++) {
                try (ZenClient client = ZenClient.connect(address)) {
                    assertThat(client.ask("Simple is better than?")).isEqualTo("Complex.");
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().openCount() == 0);
            running.assertNothingLeft();
        }
    }

    @Graded(task = "1.4", points = 2)
    void leaves_no_thread_or_socket_behind_when_closed_with_clients_connected() throws Exception {
        Leaks.Snapshot before = Leaks.snapshot();
        ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
        InetSocketAddress address = server.start();
        List<ZenClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                ZenClient client = ZenClient.connect(address);
                clients.add(client);
                assertThat(client.ask("Simple is better than?")).isEqualTo("Complex.");
            }
            server.close();
            for (ZenClient client : clients) {
                assertThat(client.serverClosed()).as("a client's connection was closed by server.close()").isTrue();
            }
        } finally {
            for (ZenClient client : clients) {
                client.close();
            }
        }
        before.assertNothingLeft();
    }
}
