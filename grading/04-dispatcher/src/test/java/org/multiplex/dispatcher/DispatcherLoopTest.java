package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.multiplex.dispatcher.Fixtures.runUntil;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.dispatcher.Fixtures.LoopThread;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.LoopbackPair;
import org.multiplex.kit.testing.ZenServerChecks;

/** Task 4.1: the loop asks every dispatcher what it wants on every pass, and fires its events. */
class DispatcherLoopTest {

    /** Reads a message, then wants to write it back until it has: interest changes every pass. */
    private static final class Echo extends Dispatcher {
        private final ByteBuffer pending = ByteBuffer.allocate(1024);

        Echo(DispatcherLoop loop, SocketChannel connected) throws IOException {
            super(loop, connected);
        }

        @Override
        protected boolean readable() {
            return pending.position() == 0;
        }

        @Override
        protected boolean writable() {
            return pending.position() > 0;
        }

        @Override
        protected void handleRead() {
            recv(pending);
        }

        @Override
        protected void handleWrite() {
            pending.flip();
            send(pending);
            pending.compact();
        }
    }

    /** Throws at every read event, and leaves the error to the default handleError. */
    private static final class Thrower extends Dispatcher {
        Thrower(DispatcherLoop loop, SocketChannel connected) throws IOException {
            super(loop, connected);
        }

        @Override
        protected boolean writable() {
            return false;
        }

        @Override
        protected void handleRead() {
            throw new IllegalStateException("a bug in this handler, on purpose");
        }
    }

    @Graded(task = "4.1", points = 1)
    void an_echo_dispatcher_reads_then_writes_as_its_readable_and_writable_say() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            Echo echo = new Echo(loop, pair.server());
            InputStream in = pair.client().getInputStream();
            for (String message : new String[] {"ping", "pong", "one more"}) {
                pair.client().getOutputStream().write(message.getBytes(US_ASCII));
                runUntil(loop, () -> echo.readable() && in.available() >= message.length(),
                        "an echo dispatcher sends back \"" + message + "\": does poll set each key's interest"
                                + " from interestOps(), select, and dispatch every selected key?");
                assertThat(new String(in.readNBytes(message.length()), US_ASCII))
                        .as("what the echo dispatcher sent back").isEqualTo(message);
            }
        }
    }

    @Graded(task = "4.1", points = 2)
    void writable_false_means_no_write_events_and_no_spinning() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            // The socket can always be written; only writable() says no.
            Recorder quiet = new Recorder(loop, pair.server());
            quiet.wantsRead = true;
            quiet.wantsWrite = false;
            try (LoopThread thread = new LoopThread(loop)) {
                long passesBefore = loop.passes();
                long cpu = ZenServerChecks.cpuMillisOverOneIdleSecond(thread.threadId());
                List<String> events = quiet.eventsSoFar();
                assertThat(events).withFailMessage("a dispatcher whose writable() is false, and that got no data,"
                        + " got these events in one idle second: %s. Does interestOps() ask for OP_WRITE only when"
                        + " writable() says so? Otherwise the loop wakes at once, again and again: it spins.",
                        Fixtures.shorten(events)).isEmpty();
                long passes = loop.passes() - passesBefore;
                assertThat(passes).withFailMessage("the loop ran %d passes in one idle second with nothing to do: it"
                        + " spins. Does interestOps() follow readable() and writable()?", passes).isLessThanOrEqualTo(2);
                assertThat(cpu).withFailMessage("the loop's thread used %d ms of CPU in one idle second: it spins"
                        + " (a loop that waits for events nobody wants wakes up at once, again and again)", cpu)
                        .isLessThan(100);
                assertThat(thread.died()).as("what ended the loop (nothing should)").isNull();
            }
        }
    }

    @Graded(task = "4.1", points = 2)
    void an_exception_in_one_handler_closes_only_that_dispatcher_and_the_loop_carries_on() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair bad = LoopbackPair.open(); LoopbackPair good = LoopbackPair.open()) {
            Thrower thrower = new Thrower(loop, bad.server());
            Recorder other = new Recorder(loop, good.server());
            bad.client().getOutputStream().write("boom".getBytes(US_ASCII));
            good.client().getOutputStream().write("hello".getBytes(US_ASCII));
            runUntil(loop, () -> thrower.isClosed() && other.receivedText().equals("hello"),
                    "one handler threw; its dispatcher should be closed by the default handleError and the other"
                            + " should read its bytes: does dispatch hand what a handler throws to fail()?");
            assertThat(bad.client().getInputStream().read()).as("what the thrower's client reads next (-1: closed)")
                    .isEqualTo(-1);
            good.client().getOutputStream().write(" again".getBytes(US_ASCII));
            runUntil(loop, () -> other.receivedText().equals("hello again"),
                    "after one handler threw, the other dispatcher reads on");
            assertThat(other.errors).as("errors of the dispatcher that did not throw").isEmpty();
            assertThat(loop.dispatchers()).withFailMessage("after the thrower was closed, the loop's map still holds"
                    + " %s: close() must take a dispatcher out of the map, or the loop asks it on every pass and"
                    + " loop() never returns", loop.dispatchers()).containsExactly(other);
        }
    }

    @Graded(task = "4.1", points = 2)
    void no_event_reaches_a_dispatcher_that_another_closed_earlier_in_the_same_pass() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair a = LoopbackPair.open(); LoopbackPair b = LoopbackPair.open()) {
            Recorder[] both = new Recorder[2];
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                both[i] = new Recorder(loop, (i == 0 ? a : b).server()) {
                    @Override
                    protected void handleRead() {
                        super.handleRead();
                        both[other].close(); // whichever reads first closes the other
                    }
                };
                both[i].wantsWrite = true;
            }
            a.client().getOutputStream().write('x');
            b.client().getOutputStream().write('y');
            // Both bytes are in the kernel before the pass starts, so one pass sees both sockets ready.
            runUntil(loop, () -> both[0].isClosed() || both[1].isClosed(),
                    "two dispatchers get a byte each, and the first to read closes the other");
            Recorder closed = both[0].isClosed() ? both[0] : both[1];
            assertThat(closed.eventsSoFar()).withFailMessage("a dispatcher closed by another handler earlier in the same"
                    + " pass still got events %s: no event may follow close() (dispatch checks isValid())",
                    closed.eventsSoFar()).doesNotContain("read", "close", "error");
            Recorder open = both[0].isClosed() ? both[1] : both[0];
            assertThat(loop.dispatchers()).withFailMessage("after one dispatcher closed the other, the loop's map holds"
                    + " %s: close() must take a dispatcher out of the map", loop.dispatchers()).containsExactly(open);
        }
    }

    @Graded(task = "4.1", points = 1)
    void loop_runs_count_passes_and_returns_once_the_map_is_empty() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            Recorder idle = new Recorder(loop, pair.server());
            idle.wantsRead = false;
            long before = loop.passes();
            loop.loop(Duration.ofMillis(10), 3);
            assertThat(loop.passes() - before).as("passes of loop(10 ms, 3) with nothing to do").isEqualTo(3);
            idle.close();
            assertThat(loop.size()).withFailMessage("the loop's map still holds %d dispatcher(s) after the only one"
                    + " closed: close() must take it out of the map, or loop() never returns", loop.size()).isZero();
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> loop.loop(),
                    "loop() with an empty map should return at once");
        }
    }

    @Graded(task = "4.1", points = 1)
    void the_interest_set_follows_readable_writable_and_the_state_of_the_socket() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open();
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Recorder connected = new Recorder(loop, pair.server());
            for (boolean read : new boolean[] {false, true}) {
                for (boolean write : new boolean[] {false, true}) {
                    connected.wantsRead = read;
                    connected.wantsWrite = write;
                    int expected = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
                    assertThat(connected.interestOps()).withFailMessage("interestOps() of a connected socket with"
                            + " readable() %s and writable() %s was %s, not %s: a connected socket waits for OP_READ"
                            + " and OP_WRITE each as its question was answered (writable() false and OP_WRITE asked:"
                            + " the loop spins)", read, write, ops(connected.interestOps()), ops(expected))
                            .isEqualTo(expected);
                }
            }

            Recorder listener = new Recorder(loop);
            listener.createSocket();
            listener.bind(Fixtures.ANY_PORT);
            listener.listen(1);
            listener.wantsWrite = true;
            listener.wantsRead = true;
            assertThat(listener.interestOps()).withFailMessage("interestOps() of a listening socket with readable()"
                    + " and writable() true was %s: a listening socket reads by accepting (OP_ACCEPT) and never writes",
                    ops(listener.interestOps())).isEqualTo(SelectionKey.OP_ACCEPT);
            listener.wantsRead = false;
            assertThat(listener.interestOps()).withFailMessage("interestOps() of a listening socket with readable()"
                    + " false was %s, not none", ops(listener.interestOps())).isZero();

            Recorder connecting = new Recorder(loop);
            connecting.wantsRead = false;
            connecting.wantsWrite = true;
            connecting.createSocket();
            connecting.connect((InetSocketAddress) server.getLocalSocketAddress());
            // Until finishConnect() is called, NIO counts the connection as pending, made or not.
            int expected = connecting.socket().isConnectionPending() ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
            assertThat(connecting.interestOps()).withFailMessage("interestOps() of a connecting socket that wants to"
                    + " write was %s, not %s: NIO reports a pending connect only as OP_CONNECT, and never as"
                    + " OP_WRITE, so a socket that waits for OP_WRITE never learns it is connected",
                    ops(connecting.interestOps()), ops(expected)).isEqualTo(expected);
        }
    }

    @Graded(task = "4.1", points = 1)
    void an_event_is_dispatched_once_and_not_again_at_the_next_passes() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            Recorder reader = new Recorder(loop, pair.server());
            pair.client().getOutputStream().write('x');
            runUntil(loop, () -> reader.receivedText().equals("x"), "a dispatcher reads the one byte sent to it");
            loop.loop(Duration.ofMillis(10), 3);
            assertThat(reader.count("read")).withFailMessage("one byte arrived, and three passes later the dispatcher"
                    + " had %d read events, not 1: the selector never takes a key out of its selected set by itself;"
                    + " does poll empty selectedKeys() after dispatching them?", reader.count("read")).isEqualTo(1);
        }
    }

    private static String ops(int ops) {
        List<String> names = new ArrayList<>();
        if ((ops & SelectionKey.OP_ACCEPT) != 0) {
            names.add("OP_ACCEPT");
        }
        if ((ops & SelectionKey.OP_CONNECT) != 0) {
            names.add("OP_CONNECT");
        }
        if ((ops & SelectionKey.OP_READ) != 0) {
            names.add("OP_READ");
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            names.add("OP_WRITE");
        }
        return names.isEmpty() ? "none" : String.join("|", names);
    }
}
