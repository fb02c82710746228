package org.multiplex.kit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiplex.kit.testing.ThreadPerClientZenServer;
import org.multiplex.kit.zen.ZenClient;

class SlowClientTest {

    private ThreadPerClientZenServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start_server() throws IOException {
        server = new ThreadPerClientZenServer(ChaosTest.ANY_PORT);
        address = server.start();
    }

    @AfterEach
    void close_server() {
        server.close();
    }

    @Test
    void finishing_sends_the_rest_of_the_request_and_returns_its_answer() throws IOException {
        try (SlowClient slow = SlowClient.connect(address, "Beautiful is better than?", ChaosTest.LIMIT)) {
            try (ZenClient other = ZenClient.connect(address, ChaosTest.LIMIT)) {
                assertThat(other.ask("Simple is better than?")).as("another client, answered meanwhile")
                        .isEqualTo("Complex.");
            }
            assertThat(slow.finish()).isEqualTo("Ugly.");
        }
    }

    @Test
    void leaves_the_server_holding_half_a_request_until_closed() throws IOException {
        SlowClient slow = SlowClient.connect(address, "Beautiful is better than?", ChaosTest.LIMIT);
        try {
            await().atMost(ChaosTest.LIMIT).until(() -> !server.readSizes().isEmpty());
            assertThat(server.readSizes()).as("bytes the server has read").containsExactly("Beautiful is".length());
        } finally {
            slow.close();
        }
        await().atMost(ChaosTest.LIMIT).until(() -> server.stats().closedCount() == 1);
        assertThat(server.stats().leftMidRequestCount()).as("clients that left mid-request").isOne();
        assertThat(server.stats().answeredCount()).isZero();
    }

    @Test
    void refuses_a_request_that_does_not_end_with_its_only_question_mark() {
        assertThatThrownBy(() -> SlowClient.connect(address, "Beautiful is better than"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
