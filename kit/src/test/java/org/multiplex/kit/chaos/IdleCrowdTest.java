package org.multiplex.kit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.multiplex.kit.testing.Leaks;
import org.multiplex.kit.testing.ThreadPerClientZenServer;
import org.multiplex.kit.zen.ZenClient;

class IdleCrowdTest {

    @Test
    void opens_500_connections_that_the_server_holds_and_closes_them_all() throws IOException {
        try (ThreadPerClientZenServer server = new ThreadPerClientZenServer(ChaosTest.ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (IdleCrowd crowd = IdleCrowd.open(address, 500, ChaosTest.LIMIT)) {
                assertThat(crowd.size()).isEqualTo(500);
                await().atMost(ChaosTest.LIMIT).until(() -> server.stats().openCount() == 500);
            }
            await().atMost(ChaosTest.LIMIT).until(() -> server.stats().openCount() == 0);
            assertThat(server.stats().answeredCount()).as("requests the idle crowd sent").isZero();
            try (ZenClient next = ZenClient.connect(address, ChaosTest.LIMIT)) {
                assertThat(next.ask("Simple is better than?")).isEqualTo("Complex.");
            }
        }
    }

    @Test
    void closes_what_it_opened_when_a_connect_fails_halfway() throws IOException {
        // A listener that never accepts, with room in its queue for a connection or two: the
        // next connects wait, and time out.
        try (ServerSocket full = new ServerSocket(0, 1, ChaosTest.ANY_PORT.getAddress())) {
            InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
            long before = Leaks.openFileDescriptors();
            assertThatThrownBy(() -> IdleCrowd.open(address, 20, ChaosTest.BRIEF))
                    .isInstanceOf(IOException.class)
                    .hasMessageMatching("opened [1-9][0-9]* of 20 connections, then: .*");
            assertThat(Leaks.openFileDescriptors()).as("open file descriptors after the failure")
                    .isLessThanOrEqualTo(before);
        }
    }

    @Test
    void a_crowd_of_none_opens_nothing() throws IOException {
        try (IdleCrowd crowd = IdleCrowd.open(ChaosTest.ANY_PORT, 0)) {
            assertThat(crowd.size()).isZero();
        }
    }
}
