package org.multiplex.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.core.ConditionTimeoutException;
import org.multiplex.blocking.Clients.Closing;
import org.multiplex.kit.chaos.Chaos;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.Leaks;
import org.multiplex.kit.testing.ZenServerChecks;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Task 1.4: a thread per connection. */
class ThreadedZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static final String CLOSE_HINT = "does acceptForever's loop end once close() has closed the listener?";

    private static final String OWN_THREAD = "does each client get a thread of its own, started with start() (run()"
            + " would serve it on the acceptor's thread, one client at a time)?";

    /** How long each chaos client waits for an answer, with 100 idle connections beside it. */
    private static final Duration CHAOS_PATIENCE = Duration.ofSeconds(3);

    /** How long each of 200 clients connected at once waits for its answer, on a loaded machine. */
    private static final Duration CROWD_PATIENCE = Duration.ofSeconds(5);

    /** How long the threads of clients that left may take to end, on a loaded machine. */
    private static final Duration THREADS_END = Duration.ofSeconds(3);

    @Graded(task = "1.4", points = 2)
    void answers_a_second_client_while_the_first_stays_connected() throws Exception {
        ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            try (ZenClient first = Clients.connect(address);
                 ZenClient second = Clients.connect(address)) {
                first.send("Beautiful is better");
                Clients.expectAnswer(second, "Explicit is better than?", "the first client is halfway through a"
                        + " request: " + OWN_THREAD);
                first.send(" than?");
                assertThat(Clients.answer(first, "the first client finished its request \"Beautiful is better than?\"",
                        OWN_THREAD)).isEqualTo("Ugly.");
            }
        }
    }

    @Graded(task = "1.4", points = 4)
    void answers_200_concurrent_slow_clients() throws Exception {
        int clients = 200;
        List<String> questions = Zen.questions();
        ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            InetSocketAddress address = server.start();
            try (ZenClient alone = Clients.connect(address)) {
                Clients.expectAnswer(alone, "Simple is better than?", "a client alone, before the 200: " + OWN_THREAD);
            }
            CountDownLatch allHalfway = new CountDownLatch(clients);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String question = questions.get(i % questions.size());
                answers.add(pool.submit(() -> {
                    try (ZenClient client = ZenClient.connect(address, CROWD_PATIENCE)) {
                        // Every client sends half its request, then waits for all the others to
                        // do the same: 200 requests in progress at once.
                        try {
                            client.send(question.substring(0, 5));
                        } finally {
                            allHalfway.countDown();
                        }
                        assertThat(allHalfway.await(20, TimeUnit.SECONDS)).as("all clients sent half a request").isTrue();
                        client.send(question.substring(5));
                        return Clients.answer(client, "it sent the rest of its request", OWN_THREAD);
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                String question = questions.get(i % questions.size());
                String answer;
                try {
                    answer = answers.get(i).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("client " + (i + 1) + " of 200 connected at once: "
                            + e.getCause().getMessage(), e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("client " + (i + 1) + " of 200 connected at once had no answer after"
                            + " 30 s: " + OWN_THREAD);
                }
                assertThat(answer).as("answer to client %d (%s)", i + 1, question).isEqualTo(Zen.answer(question));
            }
            assertThat(server.stats().acceptedCount()).as("connections counted with stats.accepted(), the lone client"
                    + " and the 200").isEqualTo(clients + 1);
        }
    }

    @Graded(task = "1.4", points = 2)
    void a_client_that_resets_the_connection_does_not_disturb_the_others() throws Exception {
        ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            try (ZenClient other = Clients.connect(address)) {
                Clients.expectAnswer(other, "Simple is better than?", OWN_THREAD);
                Chaos.reset(address, "Simple is", Clients.PATIENCE);
                assertThat(Clients.ask(other, "Beautiful is better than?", "another client reset its connection"
                        + " meanwhile: does only that client's thread end?"))
                        .as("answer on the connection that stayed").isEqualTo("Ugly.");
            }
        }
    }

    @Graded(task = "1.4", points = 3)
    void answers_every_complete_request_of_clients_that_attack_at_once() throws Exception {
        ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            try (ZenClient alone = Clients.connect(address)) {
                Clients.expectAnswer(alone, "Simple is better than?", "a client alone, before the attack: " + OWN_THREAD);
            }
            ZenServerChecks.answersEveryCompleteRequestOfClientsThatAttackAtOnce(address, CHAOS_PATIENCE);
        }
    }

    @Graded(task = "1.4", points = 2)
    void ends_each_clients_thread_when_the_client_leaves() throws Exception {
        ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            Leaks.Snapshot running = Leaks.snapshot();
            for (int i = 0; i < 50; i++) {
                try (ZenClient client = Clients.connect(address)) {
                    Clients.expectAnswer(client, "Simple is better than?", OWN_THREAD);
                }
            }
            try {
                await().atMost(THREADS_END).pollInSameThread().until(() -> running.newThreads().isEmpty());
            } catch (ConditionTimeoutException e) {
                fail("50 clients came, were answered and left; %d s later these threads are still running: %s:"
                        + " does each client's thread end when its client leaves (a pool keeps idle threads)?",
                        THREADS_END.toSeconds(), Clients.names(running.newThreads()));
            }
            Collection<?> remembered = conversations(server);
            assertThat(remembered.size())
                    .as("50 clients came and left, and the server still remembers %d conversations: does each"
                            + " client's thread run serveAndForget, which forgets its client when it leaves?",
                            remembered.size())
                    .isZero();
        }
    }

    @Graded(task = "1.4", points = 2)
    void leaves_no_thread_or_socket_behind_when_closed_with_clients_connected() throws Exception {
        Leaks.Snapshot before = Leaks.snapshot();
        ThreadedZenServer server = new ThreadedZenServer(ANY_PORT);
        List<ZenClient> clients = new ArrayList<>();
        try (Closing closing = Clients.closing(server, CLOSE_HINT)) {
            InetSocketAddress address = server.start();
            for (int i = 0; i < 20; i++) {
                ZenClient client = Clients.connect(address);
                clients.add(client);
                Clients.expectAnswer(client, "Simple is better than?", OWN_THREAD);
            }
            closing.closeNow();
            for (int i = 0; i < clients.size(); i++) {
                Clients.expectClosed(clients.get(i), "client " + (i + 1) + " of 20 connected, after server.close(),"
                        + " waited:", "does acceptForever remember each client and its thread in conversations, so that"
                        + " close() can close and join them?");
            }
        } finally {
            for (ZenClient client : clients) {
                client.close();
            }
        }
        Clients.expectNothingLeft(before, "after server.close() with 20 clients connected", "does each client's"
                + " thread end when its client's socket is closed (a pool keeps idle threads), and does acceptForever"
                + " remember each client and its thread in conversations, so that close() can close and join them?");
    }

    /** Returns the server's {@code conversations}: the clients it remembers, with their threads. */
    private static Collection<?> conversations(ThreadedZenServer server) throws ReflectiveOperationException {
        Field field = ThreadedZenServer.class.getDeclaredField("conversations");
        field.setAccessible(true);
        return (Collection<?>) field.get(server);
    }
}
