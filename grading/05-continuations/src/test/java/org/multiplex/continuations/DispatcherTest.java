package org.multiplex.continuations;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.multiplex.continuations.Fixtures.ANY_PORT;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.multiplex.continuations.Fixtures.Running;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.LoopbackPair;

/** Tasks 5.1 to 5.4: the dispatcher's calls that look blocking, its loop, and its deadlines. */
class DispatcherTest {

    // ---- 5.3: read and write

    @Graded(task = "5.3", points = 2)
    void read_parks_until_bytes_arrive_and_returns_minus_one_at_the_end_of_the_stream() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        StringBuilder received = new StringBuilder();
        AtomicInteger last = new AtomicInteger();
        try (LoopbackPair pair = LoopbackPair.open()) {
            dispatcher.start("reader", () -> {
                ByteBuffer buffer = ByteBuffer.allocate(64);
                int n;
                while ((n = dispatcher.read(pair.server(), buffer)) > 0) {
                    received.append(new String(buffer.array(), 0, n, US_ASCII));
                    buffer.clear();
                }
                last.set(n);
            });
            // Runs once the reader has parked in its first read, with nothing sent yet; only then
            // does the client send.
            dispatcher.start("prompt", () -> dispatcher.write(pair.server(), ByteBuffer.wrap(new byte[] {'>'})));
            try (Running running = Running.run(dispatcher)) {
                pair.client().setSoTimeout((int) Fixtures.patience().toMillis());
                try {
                    assertThat(pair.client().getInputStream().read()).as("the fiber's prompt").isEqualTo('>');
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a fiber's write of one byte never reached the client");
                }
                OutputStream out = pair.client().getOutputStream();
                out.write("Simple is ".getBytes(US_ASCII));
                out.flush();
                out.write("better than?".getBytes(US_ASCII));
                pair.client().shutdownOutput();
                running.awaitEndWithoutFailures("the reader never ended after the client closed its side: does read"
                        + " return -1 at the end of the stream, rather than park again?");
            }
        }
        assertThat(last.get()).as("what read returned last, after \"%s\" (expected -1, the end of the stream; 0"
                + " means read gave up instead of parking the fiber until bytes arrived)", received).isEqualTo(-1);
        assertThat(received.toString()).as("bytes the fiber read, sent in two parts").isEqualTo("Simple is better than?");
    }

    @Graded(task = "5.3", points = 3)
    void a_write_larger_than_the_socket_buffers_parks_while_other_fibers_run_and_every_byte_arrives()
            throws Exception {
        byte[] data = new byte[8 * 1024 * 1024];
        new Random(5).nextBytes(data);
        SelectDispatcher dispatcher = new SelectDispatcher();
        AtomicInteger written = new AtomicInteger();
        try (LoopbackPair big = LoopbackPair.open(); LoopbackPair echo = LoopbackPair.open()) {
            dispatcher.start("writer", () -> {
                written.set(dispatcher.write(big.server(), ByteBuffer.wrap(data)));
                dispatcher.close(big.server());
            });
            startEcho(dispatcher, echo.server());
            try (Running running = Running.run(dispatcher)) {
                // The client has read nothing of the 8 MB yet, so the writer must be parked: the
                // echo fiber answers all the same, on the same thread.
                echo.client().setSoTimeout((int) Fixtures.patience().toMillis());
                big.client().setSoTimeout((int) Fixtures.patience().toMillis());
                echo.client().getOutputStream().write("ping".getBytes(US_ASCII));
                try {
                    assertThat(new String(echo.client().getInputStream().readNBytes(4), US_ASCII))
                            .as("the echo fiber's answer while the writer waits for room").isEqualTo("ping");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("an echo fiber did not answer \"ping\" while another fiber's 8 MB write"
                            + " waited for room: does write park the fiber (for OP_WRITE) when the socket takes"
                            + " nothing, instead of trying again and again on the one thread?");
                }
                byte[] got;
                try {
                    got = big.client().getInputStream().readAllBytes();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the client read part of the 8 MB, then nothing came for "
                            + Fixtures.patience().toSeconds() + " s: is a writer parked for OP_WRITE woken when the"
                            + " socket has room again?");
                }
                assertThat(got.length).as("bytes the client received of the 8 MB written before the fiber closed the"
                        + " channel (write returned %d): does write loop, parking for OP_WRITE, until the buffer is"
                        + " empty? One channel write is often a partial write", written.get()).isEqualTo(data.length);
                assertThat(java.util.Arrays.equals(got, data)).as("bytes received equal bytes written").isTrue();
                echo.client().shutdownOutput();
                running.awaitEndWithoutFailures("the echo fiber did not end after its client closed its side");
            }
        }
        assertThat(written.get()).as("what write returned: every byte of the buffer").isEqualTo(data.length);
    }

    // ---- 5.2: the ready keys, one fiber per direction

    @Graded(task = "5.2", points = 3)
    void a_fiber_reading_and_another_writing_the_same_channel_both_make_progress() throws Exception {
        int toRead = 1024 * 1024;
        int toWrite = 4 * 1024 * 1024;
        SelectDispatcher dispatcher = new SelectDispatcher();
        AtomicInteger read = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        try (LoopbackPair pair = LoopbackPair.open(64 * 1024)) {
            pair.server().setOption(java.net.StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            // Both fibers park on the one key of the channel: the reader for bytes that the
            // client sends only later, the writer because the client reads only at the end.
            dispatcher.start("reader", () -> {
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                while (read.get() < toRead) {
                    int n = dispatcher.read(pair.server(), buffer);
                    if (n < 0) {
                        break;
                    }
                    read.addAndGet(n);
                    buffer.clear();
                }
            });
            dispatcher.start("writer", () -> written.set(dispatcher.write(pair.server(), ByteBuffer.allocate(toWrite))));
            String hint = "with a reader and a writer parked on one channel, is the key's interest both their"
                    + " operations OR-ed, and does ready() wake each slot for its own operation (one key, two waiters)?";
            try (Running running = Running.run(dispatcher)) {
                // The client sends from a thread of its own: if the dispatcher forgets the reader,
                // the sending blocks, and the test still ends in time.
                Thread sender = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        OutputStream out = pair.client().getOutputStream();
                        byte[] chunk = new byte[16 * 1024];
                        for (int sent = 0; sent < toRead; sent += chunk.length) {
                            out.write(chunk);
                        }
                    } catch (IOException e) {
                        // The test fails on what the fibers got.
                    }
                });
                pair.client().setSoTimeout((int) Fixtures.patience().toMillis());
                InputStream in = pair.client().getInputStream();
                int got = 0;
                try {
                    byte[] chunk = new byte[64 * 1024];
                    for (int n; got < toWrite && (n = in.read(chunk)) > 0; ) {
                        got += n;
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError(String.format("the client got %d of the %d bytes the writing fiber wrote,"
                            + " and the reading fiber %d of the %d bytes the client sent, then nothing moved for %d s: %s",
                            got, toWrite, read.get(), toRead, Fixtures.patience().toSeconds(), hint));
                }
                assertThat(got).as("bytes the client read of the writer's before the end of the stream").isEqualTo(toWrite);
                sender.join(Fixtures.patience().toMillis());
                running.awaitEndWithoutFailures("the reader got %d of %d bytes: %s".formatted(read.get(), toRead, hint));
            }
        }
        assertThat(read.get()).as("bytes the reading fiber got").isEqualTo(toRead);
        assertThat(written.get()).as("bytes the writing fiber wrote").isEqualTo(toWrite);
    }

    @Graded(task = "5.2", points = 2)
    void connect_parks_until_connected_and_a_refused_connect_throws_in_the_fiber() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicBoolean connected = new AtomicBoolean();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(ANY_PORT)) {
            InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackPair.closedPort());
            dispatcher.start("refused", () -> {
                try (SocketChannel channel = SocketChannel.open()) {
                    dispatcher.connect(channel, nobody);
                } catch (IOException e) {
                    refused.set(e);
                }
            });
            dispatcher.start("connected", () -> {
                try (SocketChannel channel = SocketChannel.open()) {
                    dispatcher.connect(channel, listener.getLocalAddress());
                    connected.set(channel.isConnected());
                }
            });
            try (Running running = Running.run(dispatcher)) {
                running.awaitEndWithoutFailures("connect never returned: a fiber waiting to connect waits in the writer's"
                        + " slot for OP_CONNECT; does ready() wake a slot when the key is ready for that slot's own"
                        + " operation (readyOps & op), not only for OP_WRITE or OP_READ?");
            }
        }
        assertThat(refused.get()).as("what connect threw in the fiber when the port was closed")
                .isInstanceOf(ConnectException.class);
        assertThat(connected.get()).as("whether the other fiber's channel was connected when connect returned").isTrue();
    }

    // ---- 5.1: the loop

    @Graded(task = "5.1", points = 2)
    void yield_lets_two_busy_fibers_take_turns() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        List<String> turns = Collections.synchronizedList(new ArrayList<>());
        for (String name : List.of("A", "B")) {
            dispatcher.start(name, () -> {
                for (int i = 0; i < 5; i++) {
                    turns.add(name);
                    dispatcher.yield();
                }
            });
        }
        try (Running running = Running.run(dispatcher)) {
            running.awaitEndWithoutFailures("two fibers that yield took " + turns.size() + " of 10 turns, then"
                    + " nothing ran: when fibers yielded, does pass() select with no wait (selectNow), then put the"
                    + " yielded fibers back on the ready queue?");
        }
        assertThat(String.join("", turns)).as("the order two fibers that yield ran in: each yield lets the other"
                + " run once, after the select of the pass").isEqualTo("ABABABABAB");
    }

    @Graded(task = "5.2", points = 2)
    void fibers_that_only_yield_do_not_starve_a_fiber_waiting_for_its_channel() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        AtomicBoolean done = new AtomicBoolean();
        try (LoopbackPair pair = LoopbackPair.open()) {
            for (String name : List.of("busy 1", "busy 2")) {
                dispatcher.start(name, () -> {
                    while (!done.get()) {
                        dispatcher.yield();
                    }
                });
            }
            dispatcher.start("reader", () -> {
                dispatcher.read(pair.server(), ByteBuffer.allocate(1));
                done.set(true);
            });
            try (Running running = Running.run(dispatcher)) {
                pair.client().getOutputStream().write('x');
                running.awaitEndWithoutFailures("a fiber waiting to read never got the byte sent to it while two other"
                        + " fibers kept yielding: does every pass select (selectNow when fibers yielded) and wake"
                        + " the reader its ready key names, so yielding fibers cannot starve it?");
            }
        }
        assertThat(done.get()).as("the reader got its byte").isTrue();
    }

    @Graded(task = "5.1", points = 3)
    void a_fiber_that_throws_is_reported_and_removed_and_the_others_carry_on() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        List<Fiber> reported = Collections.synchronizedList(new ArrayList<>());
        dispatcher.onFailure(reported::add);
        List<String> turns = Collections.synchronizedList(new ArrayList<>());
        Fiber bad = dispatcher.start("bad", () -> {
            dispatcher.yield();
            throw new IllegalStateException("a bug in one handler");
        });
        Fiber worse = dispatcher.start("worse", () -> {
            dispatcher.yield();
            dispatcher.yield();
            throw new AssertionError("a broken invariant in another handler");
        });
        Fiber good = dispatcher.start("good", () -> {
            for (int i = 0; i < 5; i++) {
                turns.add("good " + i);
                dispatcher.yield();
            }
        });
        try (Running running = Running.run(dispatcher)) {
            running.awaitEnd("one fiber threw an exception and another an Error: does each end alone (caught at the"
                    + " bottom of its stack, as Throwable) while the loop goes on?");
        }
        assertThat(turns).as("turns the good fiber had, after two others threw in their second and third").hasSize(5);
        assertThat(good.isDone()).as("the good fiber ended").isTrue();
        assertThat(good.failure()).as("what the good fiber threw").isEmpty();
        assertThat(reported).as("fibers reported to onFailure as failed").containsExactlyInAnyOrder(bad, worse);
        assertThat(bad.failure()).as("what the bad fiber threw").get()
                .satisfies(t -> assertThat(t).hasMessage("a bug in one handler"));
        assertThat(dispatcher.failed()).as("the dispatcher's failed fibers").containsExactlyInAnyOrder(bad, worse);
    }

    @Graded(task = "5.1", points = 1)
    void gathered_output_is_printed_per_fiber_when_it_ends_and_debug_output_live_with_the_fiber_id()
            throws Exception {
        ByteArrayOutputStream gathered = new ByteArrayOutputStream();
        SelectDispatcher gathering = new SelectDispatcher()
                .printTo(new PrintStream(gathered, true, StandardCharsets.UTF_8));
        startTalkers(gathering);
        try (Running running = Running.run(gathering)) {
            running.awaitEndWithoutFailures("two fibers that print and yield once never ended");
        }
        List<String> lines = gathered.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("gathered output: each fiber's lines together, after its heading")
                .hasSize(6)
                .satisfies(l -> assertThat(l.get(0)).contains("A"), l -> assertThat(l.get(1)).endsWith("A one"),
                        l -> assertThat(l.get(2)).endsWith("A two"), l -> assertThat(l.get(3)).contains("B"),
                        l -> assertThat(l.get(4)).endsWith("B one"), l -> assertThat(l.get(5)).endsWith("B two"));

        ByteArrayOutputStream live = new ByteArrayOutputStream();
        SelectDispatcher debugging = new SelectDispatcher().output(Fiber.Output.DEBUG)
                .printTo(new PrintStream(live, true, StandardCharsets.UTF_8));
        List<Fiber> fibers = startTalkers(debugging);
        try (Running running = Running.run(debugging)) {
            running.awaitEndWithoutFailures("two fibers that print and yield once never ended, in debug mode");
        }
        List<String> said = live.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.endsWith(" one") || l.endsWith(" two")).toList();
        assertThat(said).as("debug output: lines as they were printed, each after its fiber's id")
                .containsExactly(
                        String.format(" %04X A one", fibers.get(0).id()), String.format(" %04X B one", fibers.get(1).id()),
                        String.format(" %04X A two", fibers.get(0).id()), String.format(" %04X B two", fibers.get(1).id()));
    }

    private static List<Fiber> startTalkers(SelectDispatcher dispatcher) {
        List<Fiber> fibers = new ArrayList<>();
        for (String name : List.of("A", "B")) {
            fibers.add(dispatcher.start(name, () -> {
                dispatcher.out().println(name + " one");
                dispatcher.yield();
                dispatcher.out().println(name + " two");
            }));
        }
        return fibers;
    }

    @Graded(task = "5.1", points = 2)
    void a_fiber_that_would_park_holding_a_monitor_is_refused_with_a_clear_error_not_a_deadlock() throws Exception {
        Object lock = new Object();
        SelectDispatcher dispatcher = new SelectDispatcher().checkMonitors(true).onFailure(f -> { });
        Fiber holder = dispatcher.start("holder", () -> {
            synchronized (lock) {
                dispatcher.sleep(Duration.ofSeconds(30));
            }
        });
        Object anotherLock = new Object();
        Fiber yielder = dispatcher.start("yielder", () -> {
            synchronized (anotherLock) {
                dispatcher.yield();
            }
        });
        try (Running running = Running.run(dispatcher)) {
            running.awaitEnd("a fiber that went to sleep for 30 s inside synchronized was not refused: it parked"
                    + " holding the monitor, which no other thread can take meanwhile; the checking mode"
                    + " (checkMonitors) must refuse every park and yield that holds a lock");
        }
        assertThat(holder.failure()).as("what the fiber got for sleeping inside synchronized (it must be refused:"
                + " a parked fiber keeps its monitor, and the checking mode must say so)").get()
                .satisfies(t -> assertThat(t).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("lock"));
        assertThat(yielder.failure()).as("what the fiber got for yielding inside synchronized (it must be refused:"
                + " a fiber that yields keeps its monitor, and the checking mode must say so)").get()
                .satisfies(t -> assertThat(t).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("lock"));
        CountDownLatch taken = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().start(() -> {
            synchronized (lock) {
                taken.countDown();
            }
        });
        assertThat(taken.await(Fixtures.patience().toMillis(), TimeUnit.MILLISECONDS))
                .as("another thread could take the lock of a refused fiber afterwards").isTrue();
        other.join();
    }

    @Graded(task = "5.1", points = 1)
    void a_fiber_that_yields_inside_a_class_initialiser_gets_a_clear_error_and_every_fiber_carries_on() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        List<String> turns = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> caught = new AtomicReference<>();
        dispatcher.start("initialiser", () -> {
            try {
                YieldsWhileInitialised.touch(dispatcher);
            } catch (ExceptionInInitializerError e) {
                caught.set(e);
            }
            for (int i = 0; i < 3; i++) {
                turns.add("I");
                dispatcher.yield();
            }
            dispatcher.sleep(Duration.ofMillis(20));
        });
        dispatcher.start("other", () -> {
            for (int i = 0; i < 3; i++) {
                turns.add("O");
                dispatcher.yield();
            }
        });
        try (Running running = Running.run(dispatcher)) {
            running.awaitEndWithoutFailures("a fiber whose yield failed in a class initialiser, or the other, never"
                    + " ended");
        }
        assertThat(caught.get()).as("what the fiber got for yielding in a static initialiser")
                .isInstanceOf(ExceptionInInitializerError.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("suspend");
        assertThat(String.join("", turns)).as("turns after a yield refused in a class initialiser (I) beside another"
                + " fiber (O): each fiber once a pass; a fiber whose yield was refused runs on, and must not stay"
                + " queued as yielded, or it runs twice a pass").isEqualTo("IOIOIO");
    }

    /** A class whose static initialiser yields: the first fiber to touch it runs that. */
    private static final class YieldsWhileInitialised {
        private static SelectDispatcher dispatcher;

        static void touch(SelectDispatcher owner) {
            dispatcher = owner;
            Initialised.value();
        }

        private static final class Initialised {
            static {
                dispatcher.yield();
            }

            static int value() {
                return 1;
            }
        }
    }

    @Graded(task = "5.1", points = 1)
    void stopping_the_dispatcher_wakes_every_parked_fiber_so_its_finally_blocks_run() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher().onFailure(f -> { });
        List<String> cleaned = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch parked = new CountDownLatch(2);
        Fiber waiter = dispatcher.start("waiter", () -> {
            try {
                parked.countDown();
                dispatcher.park();
            } finally {
                cleaned.add("waiter");
            }
        });
        dispatcher.start("sleeper", () -> {
            try {
                parked.countDown();
                dispatcher.sleep(Duration.ofMinutes(5));
            } finally {
                cleaned.add("sleeper");
            }
        });
        Running running = Running.run(dispatcher);
        assertThat(parked.await(Fixtures.patience().toMillis(), TimeUnit.MILLISECONDS))
                .as("both fibers ran up to their wait").isTrue();
        running.close();
        running.awaitEnd("stop() did not end the loop and its parked fibers: does pass() return when the loop is"
                + " stopping, so that run() closes the dispatcher?");
        assertThat(cleaned).as("fibers whose finally block ran").containsExactlyInAnyOrder("waiter", "sleeper");
        assertThat(waiter.failure()).as("what the parked fiber got when the dispatcher stopped").get()
                .isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    @Graded(task = "5.1", points = 2)
    void a_fiber_started_and_a_fiber_unparked_by_another_thread_run_while_the_loop_waits() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch lateRan = new CountDownLatch(1);
        Fiber waiter = dispatcher.start("waiter", () -> {
            parked.countDown();
            dispatcher.park();
        });
        String inbox = "does pass() first run the work other threads handed in (drainInbox()), and select"
                + " with no wait while some is left?";
        try (Running running = Running.run(dispatcher)) {
            long patience = Fixtures.patience().toMillis();
            assertThat(parked.await(patience, TimeUnit.MILLISECONDS)).as("the first fiber ran up to its park").isTrue();
            // The loop now waits in select, with no deadline: only the other thread's work can wake it.
            dispatcher.start("late", lateRan::countDown);
            assertThat(lateRan.await(patience, TimeUnit.MILLISECONDS))
                    .as("a fiber started by another thread while the loop waited in select ran within %d ms; %s",
                            patience, inbox).isTrue();
            dispatcher.unpark(waiter);
            running.awaitEndWithoutFailures("a parked fiber unparked by another thread never ran again: " + inbox);
        }
        assertThat(waiter.isDone()).as("the unparked fiber ended").isTrue();
    }

    // ---- 5.4: deadlines

    @Graded(task = "5.4", points = 3)
    void sleepers_wake_in_deadline_order_and_never_early() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        List<Integer> woke = Collections.synchronizedList(new ArrayList<>());
        List<String> early = Collections.synchronizedList(new ArrayList<>());
        for (int millis : List.of(300, 100, 0, 200, 50)) {
            dispatcher.start("sleeps " + millis, () -> {
                long start = System.nanoTime();
                dispatcher.sleep(Duration.ofMillis(millis));
                long slept = (System.nanoTime() - start) / 1_000_000;
                if (slept < millis) {
                    early.add(millis + " ms woke after " + slept);
                }
                woke.add(millis);
            });
        }
        try (Running running = Running.run(dispatcher)) {
            running.awaitEnd("sleepers of 0 to 300 ms had not all woken (woke: " + woke + "): does pass() select"
                    + " until the earliest deadline, and does expire(now) wake each sleeper whose deadline passed?");
        }
        assertThat(dispatcher.failed()).as("sleepers that ended by throwing: a sleep's deadline wakes its fiber with"
                + " nothing thrown (a SocketTimeoutException is for a wait on a channel only)")
                .extracting(f -> f.failure().orElseThrow().toString()).isEmpty();
        assertThat(woke).as("the order the sleepers woke in").containsExactly(0, 50, 100, 200, 300);
        assertThat(early).as("sleepers that woke before their time: round the select's wait up to whole"
                + " milliseconds, and wake only waits whose deadline is at or before now").isEmpty();
    }

    @Graded(task = "5.4", points = 3)
    void a_read_that_times_out_throws_in_its_fiber_and_the_dispatcher_serves_the_others() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicInteger waited = new AtomicInteger();
        CountDownLatch timedOut = new CountDownLatch(1);
        try (LoopbackPair silent = LoopbackPair.open(); LoopbackPair echo = LoopbackPair.open()) {
            dispatcher.start("impatient", () -> {
                dispatcher.timeout(Duration.ofMillis(200));
                long start = System.nanoTime();
                try {
                    dispatcher.read(silent.server(), ByteBuffer.allocate(1));
                } catch (SocketTimeoutException e) {
                    waited.set((int) ((System.nanoTime() - start) / 1_000_000));
                    thrown.set(e);
                } finally {
                    timedOut.countDown();
                }
            });
            startEcho(dispatcher, echo.server());
            try (Running running = Running.run(dispatcher)) {
                assertThat(timedOut.await(Fixtures.patience().toMillis(), TimeUnit.MILLISECONDS))
                        .as("a read with a 200 ms timeout had ended within %d s: does pass() select until the"
                                + " earliest deadline, and expire(now) wake a wait on a channel whose deadline passed?",
                                Fixtures.patience().toSeconds()).isTrue();
                echo.client().setSoTimeout((int) Fixtures.patience().toMillis());
                echo.client().getOutputStream().write("after".getBytes(US_ASCII));
                try {
                    assertThat(new String(echo.client().getInputStream().readNBytes(5), US_ASCII))
                            .as("the echo after the other fiber's timeout").isEqualTo("after");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("after one fiber's read timed out, an echo fiber on another channel did"
                            + " not answer within " + Fixtures.patience().toSeconds() + " s: a timeout must end"
                            + " that one wait only");
                }
                echo.client().shutdownOutput();
                running.awaitEndWithoutFailures("the echo fiber did not end after its client closed its side");
            }
        }
        assertThat(thrown.get()).as("what the parked read threw when its time was up: a SocketTimeoutException"
                + " thrown in the waiting fiber's own stack").isInstanceOf(SocketTimeoutException.class);
        assertThat(waited.get()).as("ms the read waited before it timed out").isBetween(200, 3000);
    }

    @Graded(task = "5.4", points = 2)
    void a_wait_that_ended_in_time_never_times_out_later() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        try (LoopbackPair pair = LoopbackPair.open()) {
            dispatcher.start("prompt", () -> {
                dispatcher.timeout(Duration.ofMillis(500));
                ByteBuffer answer = ByteBuffer.allocate(1);
                dispatcher.read(pair.server(), answer);
                // The read ended in time: its deadline, 500 ms after it parked, must not fire
                // in this sleep, nor in the read after it.
                dispatcher.sleep(Duration.ofMillis(800));
                dispatcher.timeout(null);
                dispatcher.write(pair.server(), ByteBuffer.wrap(new byte[] {'!'}));
                dispatcher.read(pair.server(), answer.clear());
            });
            // Runs once the first fiber has parked in its read (one thread, fibers in the order
            // started): the client answers only then, so that the read surely waited.
            dispatcher.start("prompter", () -> dispatcher.write(pair.server(), ByteBuffer.wrap(new byte[] {'?'})));
            try (Running running = Running.run(dispatcher)) {
                pair.client().setSoTimeout((int) Fixtures.patience().toMillis());
                InputStream in = pair.client().getInputStream();
                OutputStream out = pair.client().getOutputStream();
                try {
                    assertThat(in.read()).as("the fiber's first byte").isEqualTo('?');
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a fiber's first write of one byte never reached the client");
                }
                // Both answers at once: the second read finds its byte without waiting.
                out.write(new byte[] {'a', 'b'});
                running.awaitEnd("a fiber that read, slept 800 ms, wrote and read again never ended");
                assertThat(dispatcher.failed()).as("fibers that ended by throwing: a read ended in time, yet its"
                        + " deadline, 500 ms after it parked, woke the fiber later, in its sleep; does expire skip"
                        + " (and drop) waits that are over?")
                        .extracting(f -> f.failure().orElseThrow().toString()).isEmpty();
                assertThat(in.read()).as("the fiber's byte after its sleep").isEqualTo('!');
            }
        }
    }

    @Graded(task = "5.4", points = 2)
    void a_channel_whose_read_timed_out_can_be_read_and_written_again_at_once() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        AtomicReference<Throwable> first = new AtomicReference<>();
        StringBuilder then = new StringBuilder();
        try (LoopbackPair pair = LoopbackPair.open()) {
            dispatcher.start("patient again", () -> {
                dispatcher.timeout(Duration.ofMillis(100));
                try {
                    dispatcher.read(pair.server(), ByteBuffer.allocate(1));
                } catch (SocketTimeoutException e) {
                    first.set(e);
                }
                // The channel keeps its key: a dispatcher that cancelled it on the timeout could
                // not register the channel again before the next select.
                dispatcher.timeout(null);
                dispatcher.write(pair.server(), ByteBuffer.wrap("again?".getBytes(US_ASCII)));
                ByteBuffer buffer = ByteBuffer.allocate(16);
                while (buffer.position() < 3 && dispatcher.read(pair.server(), buffer) > 0) {
                    // Read on until the three bytes, sent one by one, are all in.
                }
                then.append(new String(buffer.array(), 0, buffer.position(), US_ASCII));
            });
            try (Running running = Running.run(dispatcher)) {
                pair.client().setSoTimeout((int) Fixtures.patience().toMillis());
                InputStream in = pair.client().getInputStream();
                try {
                    assertThat(new String(in.readNBytes(6), US_ASCII)).as("what the fiber wrote after its read timed out")
                            .isEqualTo("again?");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a fiber whose 100 ms read timed out wrote nothing within "
                            + Fixtures.patience().toSeconds() + " s: is a wait on a channel woken when its deadline"
                            + " passes, with a SocketTimeoutException? (fibers that failed: " + dispatcher.failed() + ")");
                }
                OutputStream out = pair.client().getOutputStream();
                try {
                    for (char c : "yes".toCharArray()) {
                        out.write(c);
                        out.flush();
                    }
                } catch (IOException e) {
                    // The fiber failed and its channel was closed: what it threw says why, below.
                }
                running.awaitEnd("a fiber whose read timed out never read its channel again");
            }
        }
        assertThat(first.get()).as("what the first read threw: its 100 ms were up").isInstanceOf(SocketTimeoutException.class);
        assertThat(dispatcher.failed()).as("fibers that could not wait on their channel again after a read of it timed"
                + " out: was its key cancelled? A cancelled key stays in the selector until the next select, and"
                + " the channel cannot be registered again before then; the dispatcher keeps keys, never cancels one")
                .extracting(f -> f.failure().orElseThrow().toString()).isEmpty();
        assertThat(then.toString()).as("bytes the fiber read on the channel after the timeout").isEqualTo("yes");
    }

    /** Starts a fiber that sends back what it reads, until the end of the stream. */
    private static void startEcho(SelectDispatcher dispatcher, SocketChannel channel) {
        dispatcher.start("echo", () -> {
            ByteBuffer buffer = ByteBuffer.allocate(16);
            while (dispatcher.read(channel, buffer) > 0) {
                dispatcher.write(channel, buffer.flip());
                buffer.clear();
            }
        });
    }
}
