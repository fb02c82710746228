package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.multiplex.dispatcher.Fixtures.ANY_PORT;
import static org.multiplex.dispatcher.Fixtures.runUntil;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.LoopbackPair;

/** Task 4.2: the events a dispatcher works out from the state of its socket. */
class ImpliedEventsTest {

    @Graded(task = "4.2", points = 2)
    void handle_connect_comes_once_when_the_connection_is_made_then_the_writes() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop();
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Recorder client = new Recorder(loop) {
                @Override
                protected boolean writable() {
                    return toSend.hasRemaining();
                }
            };
            client.wantsRead = false;
            client.toSend = ByteBuffer.wrap("hello".getBytes(US_ASCII));
            client.createSocket();
            client.connect((InetSocketAddress) server.getLocalSocketAddress());
            assertThat(client.eventsSoFar()).as("events before the loop ran").isEmpty();

            runUntil(loop, () -> !client.toSend.hasRemaining(), "the client connects and sends \"hello\"");
            try (Socket accepted = server.accept()) {
                Todo.closeWhenReached(accepted);
                accepted.setSoTimeout(5000);
                assertThat(new String(accepted.getInputStream().readNBytes(5), US_ASCII)).isEqualTo("hello");
            }
            loop.loop(Duration.ofMillis(10), 3);
            List<String> events = client.eventsSoFar();
            assertThat(events).as("events of a client that connected and sent one message").startsWith("connect", "write");
            assertThat(client.count("connect")).as("handleConnect calls").isEqualTo(1);
            assertThat(client.isConnected()).as("isConnected() after handleConnect").isTrue();
            assertThat(client.errors).isEmpty();
        }
    }

    @Graded(task = "4.2", points = 3)
    void a_refused_connect_goes_to_handle_error_and_never_to_handle_connect() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            Recorder client = new Recorder(loop);
            client.wantsRead = true;
            client.wantsWrite = true;
            client.createSocket();
            try {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackPair.closedPort()));
                runUntil(loop, () -> !client.errors.isEmpty(), "the refused connection reaches handleError");
                assertThat(client.errors).as("errors handled").hasSize(1);
                assertThat(client.errors.get(0)).as("the error").isInstanceOf(ConnectException.class);
            } catch (ConnectException refusedAtOnce) {
                // Some systems refuse a loopback connection inside connect(): reported all the same.
            }
            loop.loop(Duration.ofMillis(10), 3);
            assertThat(client.eventsSoFar()).as("events of a client whose connection was refused")
                    .doesNotContain("connect", "write", "read");
            assertThat(client.isConnected()).as("isConnected() after the refusal").isFalse();
        }
    }

    @Graded(task = "4.2", points = 2)
    void a_read_event_on_a_listening_socket_is_an_accept_and_it_never_writes() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            Recorder listener = new Recorder(loop);
            listener.wantsRead = true;
            listener.wantsWrite = true; // asked, and ignored: a listening socket never writes
            listener.createSocket();
            listener.bind(ANY_PORT);
            listener.listen(10);
            InetSocketAddress address = listener.localAddress();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket client = new Socket();
                    Todo.closeWhenReached(client);
                    client.connect(address);
                    clients.add(client);
                }
                runUntil(loop, () -> listener.accepted.size() == 3, "three connections accepted");
                loop.loop(Duration.ofMillis(10), 3);
                assertThat(listener.eventsSoFar()).as("events of a listening dispatcher after three connections")
                        .containsOnly("accept");
                assertThat(listener.accepted).as("accepted channels are non-blocking")
                        .allMatch(c -> !c.isBlocking());
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
                for (var channel : listener.accepted) {
                    channel.close();
                }
            }
        }
    }

    @Graded(task = "4.2", points = 3)
    void the_end_of_the_stream_is_one_close_and_nothing_follows_it_even_when_writable_in_the_same_pass()
            throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            Recorder server = new Recorder(loop, pair.server());
            server.wantsRead = true;
            server.wantsWrite = true;
            server.toSend = ByteBuffer.wrap("x".repeat(100).getBytes(US_ASCII));
            pair.client().getOutputStream().write("bye".getBytes(US_ASCII));
            pair.client().close(); // the end of the stream is in the kernel before the first pass
            runUntil(loop, server::isClosed, "the server's dispatcher closes at the end of the stream");
            List<String> events = server.eventsSoFar();
            assertThat(events).as("events").filteredOn("close"::equals).hasSize(1);
            assertThat(events).as("events; the last must be the close").last().isEqualTo("close");
            assertThat(server.receivedText()).as("bytes read before the end").isEqualTo("bye");
            assertThat(server.errors).as("errors").isEmpty();
        }
    }

    @Graded(task = "4.2", points = 2)
    void a_reset_is_one_close_too() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            Recorder server = new Recorder(loop, pair.server());
            server.wantsRead = true;
            server.wantsWrite = true;
            server.toSend = ByteBuffer.wrap("x".repeat(100).getBytes(US_ASCII));
            pair.client().setSoLinger(true, 0);
            pair.client().close(); // sends a reset, not the end of the stream
            runUntil(loop, server::isClosed, "the server's dispatcher closes after the reset");
            List<String> events = server.eventsSoFar();
            assertThat(events).as("events").filteredOn("close"::equals).hasSize(1);
            assertThat(events).as("events; the last must be the close").last().isEqualTo("close");
            assertThat(server.errors).as("errors (a reset is a close, as in asyncore)").isEmpty();
        }
    }
}
