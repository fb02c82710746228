package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;

/** Task 4.7: what a protocol is told by its transport, on a real reactor with real clients. */
class ReactorTest {

    /** Writes down what it is told; says goodbye and loses the connection at once if asked to. */
    private static final class Recording extends Protocol {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch lost = new CountDownLatch(1);
        private final boolean byeAtOnce;

        Recording(boolean byeAtOnce) {
            this.byeAtOnce = byeAtOnce;
        }

        @Override
        public void connectionMade() {
            events.add("connectionMade");
            if (byeAtOnce) {
                transport.write("bye\n".getBytes(US_ASCII));
                transport.loseConnection();
            }
        }

        @Override
        public void dataReceived(byte[] data) {
            events.add("dataReceived");
        }

        @Override
        public void connectionLost(Throwable reason) {
            events.add("connectionLost(" + reason.getClass().getSimpleName() + ")");
            lost.countDown();
        }

        List<String> eventsSoFar() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }
    }

    /** A reactor on a thread of its own, listening on a port whose factory makes recording protocols. */
    private static final class Running implements AutoCloseable {
        final Reactor reactor = new Reactor();
        final BlockingQueue<Recording> made = new LinkedBlockingQueue<>();
        final InetSocketAddress address;
        private final Thread thread;

        Running(boolean byeAtOnce) throws IOException {
            address = reactor.listenTCP(0, Factory.forProtocol(() -> {
                Recording protocol = new Recording(byeAtOnce);
                made.add(protocol);
                return protocol;
            }), InetAddress.getLoopbackAddress());
            thread = Thread.ofPlatform().name("test-reactor").start(() -> {
                try {
                    reactor.run();
                } catch (IOException e) {
                    // The test fails on what it does not see.
                }
            });
        }

        Recording nextProtocol() throws InterruptedException {
            Recording protocol = made.poll(Fixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (protocol == null) {
                fail("a client connected, and the factory was not asked for a protocol within %d s",
                        Fixtures.PATIENCE.toSeconds());
            }
            return protocol;
        }

        @Override
        public void close() throws InterruptedException {
            reactor.stop();
            thread.join(Fixtures.PATIENCE.toMillis());
        }
    }

    @Graded(task = "4.7", points = 1)
    void connection_lost_comes_once_when_the_peer_closes() throws Exception {
        Recording protocol;
        try (Running running = new Running(false)) {
            try (Socket client = new Socket()) {
                Todo.closeWhenReached(client);
                client.connect(running.address);
                client.getOutputStream().write("hi\r\n".getBytes(US_ASCII));
                protocol = running.nextProtocol();
            }
            if (!protocol.lost.await(Fixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("a client connected, sent a line and closed; %d s later its protocol had been told %s, and"
                        + " never connectionLost: when the peer closes, the transport must call the protocol's"
                        + " connectionLost (the chat server's factory forgets a client only then)",
                        Fixtures.PATIENCE.toSeconds(), protocol.eventsSoFar());
            }
        }
        assertThat(protocol.eventsSoFar()).withFailMessage("a client connected, sent a line and closed; its protocol"
                + " was told %s: connectionMade, what arrived, then connectionLost once, with a ConnectionDone",
                protocol.eventsSoFar()).startsWith("connectionMade")
                .endsWith("connectionLost(ConnectionDone)").containsOnlyOnce("connectionLost(ConnectionDone)");
    }

    @Graded(task = "4.7", points = 1)
    void lose_connection_sends_what_was_written_first_and_then_tells_the_protocol() throws Exception {
        Recording protocol;
        try (Running running = new Running(true); Socket client = new Socket()) {
            Todo.closeWhenReached(client);
            client.connect(running.address);
            client.setSoTimeout((int) Fixtures.PATIENCE.toMillis());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                client.getInputStream().transferTo(got);
            } catch (SocketTimeoutException e) {
                fail("a protocol wrote \"bye\\n\" and called loseConnection() in connectionMade; %d s later the"
                        + " client had read \"%s\" and the connection was still open: the transport closes once"
                        + " everything written has gone", Fixtures.PATIENCE.toSeconds(), got.toString(US_ASCII));
            }
            assertThat(got.toString(US_ASCII)).withFailMessage("a protocol wrote \"bye\\n\" and called"
                    + " loseConnection() in connectionMade; the client read \"%s\" before the end: loseConnection()"
                    + " closes only once everything written has gone, never at once", got.toString(US_ASCII))
                    .isEqualTo("bye\n");
            protocol = running.nextProtocol();
            assertThat(protocol.lost.await(Fixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .withFailMessage("after loseConnection() the connection ended, and the protocol was never told:"
                            + " it was told %s. The transport calls connectionLost once it has closed",
                            protocol.eventsSoFar()).isTrue();
        }
        assertThat(protocol.eventsSoFar()).as("what a protocol that wrote and lost its connection in connectionMade was told").containsExactly("connectionMade",
                "connectionLost(ConnectionDone)");
    }
}
