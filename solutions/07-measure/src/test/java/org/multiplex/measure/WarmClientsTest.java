package org.multiplex.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiplex.kit.zen.Zen;

/**
 * Before the measured connections arrive, the lab serves clients that come and go, so that the
 * server's code for a new connection is compiled. Every one of them must be served, by a server
 * that serves one client at a time as well as by one that serves them all at once, and quickly.
 *
 * <p>The servers here are the test's own, not the course's: in {@code exercises/} the course's are
 * the student's, and may not work yet.
 */
class WarmClientsTest {

    private static final int CLIENTS = 300;

    @ParameterizedTest(name = "one at a time: {0}")
    @ValueSource(booleans = {true, false})
    // 300 clients take well under a second either way; each batch that stalls waits a second more.
    @Timeout(value = 6, unit = TimeUnit.SECONDS)
    void every_warm_up_client_is_served_and_a_server_that_serves_one_at_a_time_does_not_stall_them(
            boolean oneAtATime, @TempDir Path logs) throws IOException {
        Lab.Sweep sweep = new Lab.Sweep(Duration.ZERO, Duration.ZERO, 1, 0, CLIENTS, 2, Optional.empty(), logs);
        try (TinyZenServer server = new TinyZenServer(oneAtATime)) {
            // Each client had all its answers, or comeAndGo would have thrown; the server saw each one.
            sweep.comeAndGo(server.address());
            assertThat(server.accepted.get()).as("warm-up clients accepted").isEqualTo(CLIENTS);
        }
    }

    /** A Zen server on blocking sockets: one client at a time on one thread, or a thread per client. */
    private static final class TinyZenServer implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());

        TinyZenServer(boolean oneAtATime) throws IOException {
            Thread.ofPlatform().daemon().name("tiny-zen-server").start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        accepted.incrementAndGet();
                        if (oneAtATime) {
                            serve(client);
                        } else {
                            Thread.ofPlatform().daemon().start(() -> serve(client));
                        }
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        private static void serve(Socket client) {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    request.write(b);
                    if (b == Zen.REQUEST_END) {
                        out.write(Zen.answer(request.toByteArray()));
                        request.reset();
                    }
                }
            } catch (IOException e) {
                // The client went: serve the next.
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
