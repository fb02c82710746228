package org.multiplex.kit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiplex.kit.testing.SilentServer;
import org.multiplex.kit.testing.ThreadPerClientZenServer;

class NeverReaderTest {

    private static final String REQUEST = "Simple is better than?";

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
    void flood_fills_the_buffers_until_the_server_stops_reading_then_every_request_is_answered() throws IOException {
        try (NeverReader client = NeverReader.connect(address, ChaosTest.LIMIT)) {
            long accepted = client.floodUntilBlocked(REQUEST);

            assertThat(accepted).as("bytes the kernel accepted").isPositive()
                    .isLessThan(NeverReader.DEFAULT_FLOOD_LIMIT);
            assertThat(client.requestsSent()).as("whole requests sent").isEqualTo(accepted / REQUEST.length());
            assertThat(server.stats().answeredCount()).as("requests answered while the client did not read")
                    .isLessThan(client.requestsSent());

            List<String> answers = client.readAll(client.requestsSent());
            assertThat(answers).hasSize(client.requestsSent()).containsOnly("Complex.");
        }
    }

    @Test
    void flood_stops_at_its_limit() throws IOException {
        try (NeverReader client = NeverReader.connect(address, ChaosTest.LIMIT)) {
            assertThat(client.floodUntilBlocked(REQUEST, 1000)).isEqualTo(1000);
            assertThat(client.requestsSent()).isEqualTo(1000 / REQUEST.length());
            assertThat(client.readAll(client.requestsSent())).hasSize(1000 / REQUEST.length()).containsOnly("Complex.");
        }
    }

    @Test
    void sent_requests_are_answered_once_the_client_reads() throws IOException {
        try (NeverReader client = NeverReader.connect(address, ChaosTest.LIMIT)) {
            client.send(ChaosTest.THREE.repeat(100));
            assertThat(client.requestsSent()).isEqualTo(300);
            List<String> first = client.readAll(2);
            List<String> rest = client.readAll(298);
            assertThat(first).isEqualTo(ChaosTest.THREE_ANSWERS.subList(0, 2));
            assertThat(rest).hasSize(298).startsWith("Complex.", "Ugly.", "Implicit.");
            assertThat(Collections.frequency(rest, "Ugly.")).isEqualTo(99);
        }
    }

    @Test
    void read_all_gives_up_after_its_time_limit_when_the_answers_never_come() throws IOException {
        try (SilentServer silent = new SilentServer(ChaosTest.ANY_PORT);
             NeverReader client = NeverReader.connect(silent.start(), ChaosTest.BRIEF)) {
            client.send(ChaosTest.THREE);
            assertThatThrownBy(() -> client.readAll(3))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("received 0 answers");
        }
    }
}
