package org.multiplex.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiplex.kit.load.LoadGenerator;
import org.multiplex.kit.load.LoadResult;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.zen.ZenClient;

/**
 * The servers the course is measured against must be correct Zen servers before they are fast ones.
 * (The virtual-thread server is lesson 5's, and graded there.)
 */
class ComparisonServersTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private static Function<InetSocketAddress, Server> server(String name) {
        return switch (name) {
            case "netty" -> NettyZenServer::new;
            case "bare continuation" -> BareContinuationZenServer::new;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"netty", "bare continuation"})
    void answers_every_pipelined_request_of_many_connections_correctly_and_in_order(String name) throws IOException {
        try (Server server = server(name).apply(ANY_PORT);
             LoadGenerator load = LoadGenerator.connect(server.start(), 50, LIMIT)) {
            LoadResult r = load.ask(40, 8, LIMIT);
            assertThat(r.answers()).as("answers to 50 connections x 40 requests").isEqualTo(2000);
            assertThat(r.clean()).as("%s", r).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"netty", "bare continuation"})
    void answers_a_request_sent_byte_by_byte_and_closes_an_oversized_one_alone(String name) throws IOException {
        try (Server server = server(name).apply(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient client = ZenClient.connect(address, LIMIT)) {
                for (char c : "Simple is better than?".toCharArray()) {
                    client.send(String.valueOf(c));
                }
                assertThat(client.readAnswer()).isEqualTo("Complex.");
                assertThat(client.ask("Who knows?")).isEqualTo("Error: unknown aphorism.");
            }
            try (ZenClient client = ZenClient.connect(address, LIMIT)) {
                client.send("x".repeat(5000));
                assertThat(client.serverClosed()).as("the server closed a connection that sent 5,000 bytes and no '?'").isTrue();
            }
            try (ZenClient client = ZenClient.connect(address, LIMIT)) {
                assertThat(client.ask("Flat is better than?")).as("an answer after another client was closed").isEqualTo("Nested.");
            }
        }
    }
}
