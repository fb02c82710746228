package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.multiplex.dispatcher.Fixtures.ANY_PORT;
import static org.multiplex.dispatcher.Fixtures.runUntil;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
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

                @Override
                protected void handleWrite() {
                    events.add("write");
                    if (toSend.hasRemaining()) {
                        send(toSend.slice(toSend.position(), 1)); // one byte a write event: five write events
                        toSend.position(toSend.position() + 1);
                    }
                }
            };
            client.wantsRead = false;
            client.toSend = ByteBuffer.wrap("hello".getBytes(US_ASCII));
            client.createSocket();
            client.connect((InetSocketAddress) server.getLocalSocketAddress());
            assertThat(client.eventsSoFar()).as("events before the loop ran (connect() must not call handleConnect itself)").isEmpty();

            runUntil(loop, () -> !client.toSend.hasRemaining() || !client.errors.isEmpty(),
                    "a client connects and sends \"hello\", a byte a write event: after the connect, does the"
                            + " write event go on to handleWrite?");
            assertThat(client.errors).withFailMessage("a client that connected to a listening port got errors %s:"
                    + " the write event of a connecting socket finishes the connect (finishConnect()) before"
                    + " anything is written", client.errors).isEmpty();
            try (Socket accepted = server.accept()) {
                Todo.closeWhenReached(accepted);
                accepted.setSoTimeout((int) Fixtures.PATIENCE.toMillis());
                assertThat(new String(accepted.getInputStream().readNBytes(5), US_ASCII))
                        .as("what the server read from the client").isEqualTo("hello");
            } catch (SocketTimeoutException e) {
                fail("the client's write events said \"hello\" was sent, but the server did not read 5 bytes"
                        + " within %d s", Fixtures.PATIENCE.toSeconds());
            }
            loop.loop(Duration.ofMillis(10), 3);
            List<String> events = client.eventsSoFar();
            assertThat(client.count("connect")).withFailMessage("a client that connected once and then sent a byte"
                    + " at each of five write events got %d handleConnect calls (events %s): handleConnect comes"
                    + " once, at the first write event; leave the connecting state then", client.count("connect"),
                    events).isEqualTo(1);
            assertThat(events).as("events of a client that connected and sent one message; the connect comes first")
                    .startsWith("connect", "write");
            assertThat(client.isConnected()).as("isConnected() after handleConnect").isTrue();
        }
    }

    @Graded(task = "4.2", points = 2)
    void a_refused_connect_goes_to_handle_error_and_never_to_handle_connect() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            Recorder client = new Recorder(loop);
            client.wantsRead = true;
            client.wantsWrite = true;
            client.createSocket();
            String hint = " (a refused connect makes the socket writable too: does the write event call"
                    + " finishConnect(), whose ConnectException goes to handleError, before it believes it?)";
            try {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackPair.closedPort()));
                runUntil(loop, () -> !client.errors.isEmpty() || client.count("connect") > 0,
                        "a connect to a port where nothing listens is refused, and handleError is told" + hint);
                assertThat(client.count("connect")).withFailMessage("a connect to a port where nothing listens was"
                        + " refused, yet handleConnect was called (events %s, errors %s)" + hint,
                        client.eventsSoFar(), client.errors).isZero();
                assertThat(client.errors).as("errors handled for one refused connect").hasSize(1);
                assertThat(client.errors.get(0)).as("the error of a refused connect" + hint)
                        .isInstanceOf(ConnectException.class);
            } catch (ConnectException refusedAtOnce) {
                // Some systems refuse a loopback connection inside connect(): reported all the same.
            }
            loop.loop(Duration.ofMillis(10), 3);
            assertThat(client.eventsSoFar()).withFailMessage("a client whose connect was refused got events %s:"
                    + " a refused connect is an error, never handleConnect, and nothing follows it" + hint,
                    client.eventsSoFar()).doesNotContain("connect", "write", "read");
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
                runUntil(loop, () -> listener.accepted.size() == 3,
                        "three clients connect to a listening dispatcher: is a read event on a listening socket"
                                + " handleAccept()?");
                loop.loop(Duration.ofMillis(10), 3);
                assertThat(listener.eventsSoFar()).withFailMessage("a listening dispatcher that three clients"
                        + " connected to got events %s: its read events are accepts, and a write event on it means"
                        + " nothing", Fixtures.shorten(listener.eventsSoFar())).containsOnly("accept");
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

    @Graded(task = "4.2", points = 2)
    void the_end_of_the_stream_is_one_close_and_nothing_follows_it_even_when_writable_in_the_same_pass()
            throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            Recorder server = new Recorder(loop, pair.server());
            server.wantsRead = true;
            server.wantsWrite = true;
            server.toSend = ByteBuffer.wrap("x".repeat(100).getBytes(US_ASCII));
            pair.client().getOutputStream().write("bye".getBytes(US_ASCII));
            pair.client().close(); // the end of the stream is in the kernel before the first pass
            runUntil(loop, server::isClosed, "the peer sent \"bye\" and closed: a read of the end of the stream"
                    + " (-1) must deliver handleClose (deliverClose()), whose default closes the dispatcher");
            List<String> events = server.eventsSoFar();
            assertThat(server.errors).withFailMessage("the end of the stream caused errors %s: it is a close, not an"
                    + " error", server.errors).isEmpty();
            assertThat(events).withFailMessage("a peer that closed gave events %s: the close comes once, and no"
                    + " event follows it, not even the write event of the same pass", Fixtures.shorten(events))
                    .endsWith("close").filteredOn("close"::equals).hasSize(1);
            assertThat(server.receivedText()).as("bytes read before the end of the stream").isEqualTo("bye");
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
            runUntil(loop, server::isClosed, "the server's dispatcher closes after the peer's reset");
            List<String> events = server.eventsSoFar();
            assertThat(events).withFailMessage("a peer that reset the connection (SO_LINGER 0) gave events %s, errors"
                    + " %s: a failed read is the end of the connection too: does recv catch the IOException and"
                    + " deliver the close (deliverClose()), returning -1?", Fixtures.shorten(events),
                    Fixtures.shorten(server.errors)).containsOnlyOnce("close").endsWith("close");
            assertThat(server.errors).as("errors (a reset is a close, as in asyncore)").isEmpty();
        }
    }

    @Graded(task = "4.2", points = 2)
    void the_close_comes_once_even_to_a_dispatcher_that_stays_open_to_say_goodbye() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            // Stays readable, as asyncore's default, and closes only once its goodbye has gone: the end
            // of the stream is readable at every pass meanwhile.
            Recorder polite = new Recorder(loop, pair.server()) {
                @Override
                protected boolean writable() {
                    return toSend.hasRemaining();
                }

                @Override
                protected void handleWrite() {
                    super.handleWrite();
                    if (!toSend.hasRemaining() && count("close") > 0) {
                        close();
                    }
                }

                @Override
                protected void handleClose() {
                    events.add("close");
                    toSend = ByteBuffer.wrap("goodbye".getBytes(US_ASCII));
                }
            };
            pair.client().shutdownOutput(); // the end of the stream; the client still reads
            runUntil(loop, polite::isClosed, "a peer half-closes; the dispatcher sends \"goodbye\", then closes");
            assertThat(polite.count("close")).withFailMessage("a dispatcher that stayed open after the end of the"
                    + " stream to send a goodbye got handleClose %d times (events %s): the close comes once. Does"
                    + " recv deliver it through deliverClose(), which remembers it did, rather than call handleClose()"
                    + " itself?", polite.count("close"), Fixtures.shorten(polite.eventsSoFar())).isEqualTo(1);
            pair.client().setSoTimeout((int) Fixtures.PATIENCE.toMillis());
            assertThat(new String(pair.client().getInputStream().readAllBytes(), US_ASCII))
                    .as("what the half-closed peer read").isEqualTo("goodbye");
        }
    }
}
