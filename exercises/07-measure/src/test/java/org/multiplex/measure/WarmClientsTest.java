package org.multiplex.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiplex.blocking.BlockingZenServer;
import org.multiplex.dispatcher.DispatcherZenServer;
import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;

/**
 * Before the measured connections arrive, the lab serves clients that come and go, so that the
 * server's code for a new connection is compiled. Every one of them must be served, by a server
 * that serves one client at a time as well as by one that serves them all at once, and quickly.
 */
class WarmClientsTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int CLIENTS = 300;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "dispatcher"})
    // 300 clients take well under a second either way; each batch that stalls waits a second more.
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void every_warm_up_client_is_served_and_a_server_that_serves_one_at_a_time_does_not_stall_them(
            String name, @TempDir Path logs) throws IOException {
        Lab.Sweep sweep = new Lab.Sweep(Duration.ZERO, Duration.ZERO, 1, 0, CLIENTS, 2, Optional.empty(), logs);
        try (Server server = name.equals("blocking") ? new BlockingZenServer(ANY_PORT) : new DispatcherZenServer(ANY_PORT)) {
            sweep.comeAndGo(server.start());
            ConnectionStats stats = server instanceof BlockingZenServer blocking ? blocking.stats()
                    : ((DispatcherZenServer) server).stats();
            // Each client had all its answers, or comeAndGo would have thrown; the server saw each one.
            assertThat(stats.acceptedCount()).as("warm-up clients accepted").isEqualTo(CLIENTS);
        }
    }
}
