package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.multiplex.dispatcher.Fixtures.runUntil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

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

    @Graded(task = "4.1", points = 2)
    void an_echo_dispatcher_reads_then_writes_as_its_readable_and_writable_say() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            Echo echo = new Echo(loop, pair.server());
            InputStream in = pair.client().getInputStream();
            for (String message : new String[] {"ping", "pong", "one more"}) {
                pair.client().getOutputStream().write(message.getBytes(US_ASCII));
                runUntil(loop, () -> echo.readable() && in.available() >= message.length(),
                        "the echo sends back \"" + message + "\"");
                assertThat(new String(in.readNBytes(message.length()), US_ASCII)).as("echoed").isEqualTo(message);
            }
        }
    }

    @Graded(task = "4.1", points = 3)
    void writable_false_means_no_write_events_and_no_spinning() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open()) {
            // The socket can always be written; only writable() says no.
            Recorder quiet = new Recorder(loop, pair.server());
            quiet.wantsRead = true;
            quiet.wantsWrite = false;
            try (LoopThread thread = new LoopThread(loop)) {
                long passesBefore = loop.passes();
                long cpu = ZenServerChecks.cpuMillisOverOneIdleSecond(thread.threadId());
                assertThat(quiet.eventsSoFar()).as("events of a dispatcher that is not writable and gets no data")
                        .isEmpty();
                assertThat(loop.passes() - passesBefore).as("passes of the loop in one idle second").isLessThanOrEqualTo(2);
                assertThat(cpu).as("CPU ms the loop's thread used in one idle second (a loop that waits for write"
                        + " events nobody wants wakes up at once, again and again)").isLessThan(100);
                assertThat(thread.died()).as("what ended the loop").isNull();
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
                    "the thrower is closed by the default handleError, and the other dispatcher reads its bytes");
            assertThat(bad.client().getInputStream().read()).as("what the thrower's client reads next (-1: closed)")
                    .isEqualTo(-1);
            good.client().getOutputStream().write(" again".getBytes(US_ASCII));
            runUntil(loop, () -> other.receivedText().equals("hello again"), "the other dispatcher reads on");
            assertThat(other.errors).isEmpty();
            assertThat(loop.dispatchers()).as("dispatchers left in the map").containsExactly(other);
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
            runUntil(loop, () -> both[0].isClosed() || both[1].isClosed(), "one dispatcher closes the other");
            Recorder closed = both[0].isClosed() ? both[0] : both[1];
            assertThat(closed.eventsSoFar()).as("events of the dispatcher closed by the other; it was ready too")
                    .doesNotContain("read", "close", "error");
            assertThat(loop.dispatchers()).as("dispatchers left in the map").containsExactly(both[0].isClosed() ? both[1] : both[0]);
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
            assertThat(loop.size()).as("dispatchers in the map after the only one closed").isZero();
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> loop.loop(), "loop() with an empty map");
        }
    }
}
