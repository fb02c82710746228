package org.multiplex.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Tasks 2.2 and 2.3: the select loop, and reading a client's bytes. */
class SelectZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Graded(task = "2.2", points = 4)
    void answers_200_clients_whose_requests_arrive_interleaved_in_fragments_all_on_one_thread() throws Exception {
        List<String> questions = Zen.questions();
        Random random = new Random(2);
        try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            List<ZenClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    clients.add(ZenClient.connect(address));
                }
                // Round by round, every client sends the next piece of its request: the server
                // sees 200 requests in progress at once, in pieces of 1 to 6 bytes.
                String[] rest = new String[clients.size()];
                for (int i = 0; i < rest.length; i++) {
                    rest[i] = questions.get(i % questions.size());
                }
                boolean sent = true;
                while (sent) {
                    sent = false;
                    for (int i = 0; i < rest.length; i++) {
                        if (!rest[i].isEmpty()) {
                            int n = Math.min(rest[i].length(), 1 + random.nextInt(6));
                            clients.get(i).send(rest[i].substring(0, n));
                            rest[i] = rest[i].substring(n);
                            sent = true;
                        }
                    }
                }
                for (int i = 0; i < clients.size(); i++) {
                    String question = questions.get(i % questions.size());
                    assertThat(clients.get(i).readAnswer()).as("answer to client %d (%s)", i, question)
                            .isEqualTo(Zen.answer(question));
                }
            } finally {
                for (ZenClient client : clients) {
                    client.close();
                }
            }
            assertThat(server.stats().threads().values()).as("threads that accepted, answered or closed clients")
                    .hasSize(1);
        }
    }

    @Graded(task = "2.2", points = 2)
    void uses_no_cpu_while_nobody_talks() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient idle = ZenClient.connect(address)) {
                assertThat(idle.ask("Simple is better than?")).isEqualTo("Complex.");
                long loop = server.stats().threads().keySet().iterator().next();
                long before = mx.getThreadCpuTime(loop);
                // Nothing happens for a second: that quiet is the behaviour under test.
                Thread.sleep(1000);
                long spent = (mx.getThreadCpuTime(loop) - before) / 1_000_000;
                assertThat(spent).as("CPU milliseconds the server thread used in one idle second (a loop that"
                        + " spins instead of sleeping in select() uses nearly all of it)").isLessThan(100);
            }
        }
    }

    @Graded(task = "2.3", points = 2)
    void forgets_a_client_that_resets_and_keeps_serving_the_others() throws Exception {
        try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient other = ZenClient.connect(address)) {
                assertThat(other.ask("Simple is better than?")).isEqualTo("Complex.");
                try (Socket rude = new Socket()) {
                    rude.connect(address);
                    rude.getOutputStream().write("Beautiful is".getBytes());
                    rude.setSoLinger(true, 0); // close() now sends a reset
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.stats().closedCount())
                        .as("connections the server closed after a client's reset").isEqualTo(1));
                assertThat(other.ask("Beautiful is better than?")).isEqualTo("Ugly.");
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.registeredKeys())
                        .as("selector keys: the listener's and the one client left").isEqualTo(2));
            }
        }
    }

    @Graded(task = "2.3", points = 2)
    void answers_a_client_that_half_closes_then_closes_its_connection() throws Exception {
        try (SelectZenServer server = new SelectZenServer(ANY_PORT);
             Socket socket = new Socket()) {
            socket.connect(server.start());
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("Beautiful is better than?Explicit is better than?".getBytes());
            socket.shutdownOutput();
            String all = new String(socket.getInputStream().readAllBytes());
            assertThat(all).as("everything the server sent before closing").isEqualTo("Ugly.Implicit.");
        }
    }

    @Graded(task = "2.3")
    void notices_a_client_that_leaves_in_the_middle_of_a_request() throws Exception {
        try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient quitter = ZenClient.connect(address)) {
                quitter.send("Simple is");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.stats().leftMidRequestCount())
                    .as("clients counted as leaving mid-request").isEqualTo(1));
        }
    }

    @Graded(task = "2.3", points = 2)
    void closes_only_the_client_whose_request_is_too_long() throws Exception {
        try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient other = ZenClient.connect(address);
                 ZenClient flooder = ZenClient.connect(address)) {
                assertThat(flooder.ask("Simple is better than?")).isEqualTo("Complex.");
                try {
                    flooder.send("x".repeat(4 * Zen.MAX_REQUEST_BYTES));
                } catch (java.io.IOException closedWhileWriting) {
                    // The server may close before the last byte arrives: the behaviour wanted.
                }
                assertThat(flooder.serverClosed()).as("the flooder's connection was closed").isTrue();
                assertThat(other.ask("Explicit is better than?")).isEqualTo("Implicit.");
            }
        }
    }
}
