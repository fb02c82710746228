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
            try (Running running = Running.run(dispatcher)) {
                OutputStream out = pair.client().getOutputStream();
                out.write("Simple is ".getBytes(US_ASCII));
                out.flush();
                out.write("better than?".getBytes(US_ASCII));
                pair.client().shutdownOutput();
                running.awaitEndWithoutFailures();
            }
        }
        assertThat(received.toString()).as("bytes the fiber read").isEqualTo("Simple is better than?");
        assertThat(last.get()).as("what read returned at the end of the stream").isEqualTo(-1);
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
                echo.client().getOutputStream().write("ping".getBytes(US_ASCII));
                assertThat(new String(echo.client().getInputStream().readNBytes(4), US_ASCII))
                        .as("the echo fiber's answer while the writer waits for room").isEqualTo("ping");
                byte[] got = big.client().getInputStream().readAllBytes();
                assertThat(got.length).as("bytes received of the 8 MB written").isEqualTo(data.length);
                assertThat(java.util.Arrays.equals(got, data)).as("bytes received equal bytes written").isTrue();
                echo.client().shutdownOutput();
                running.awaitEndWithoutFailures();
            }
        }
        assertThat(written.get()).as("what write returned").isEqualTo(data.length);
    }

    // ---- 5.2: the ready keys, one fiber per direction

    @Graded(task = "5.2", points = 3)
    void a_fiber_reading_and_another_writing_the_same_channel_both_make_progress() throws Exception {
        int toRead = 1024 * 1024;
        int toWrite = 4 * 1024 * 1024;
        SelectDispatcher dispatcher = new SelectDispatcher();
        AtomicInteger read = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        try (LoopbackPair pair = LoopbackPair.open()) {
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
            try (Running running = Running.run(dispatcher)) {
                OutputStream out = pair.client().getOutputStream();
                byte[] chunk = new byte[16 * 1024];
                for (int sent = 0; sent < toRead; sent += chunk.length) {
                    out.write(chunk);
                }
                InputStream in = pair.client().getInputStream();
                assertThat(in.readNBytes(toWrite)).as("bytes the client read of the writer's").hasSize(toWrite);
                running.awaitEndWithoutFailures();
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
                running.awaitEndWithoutFailures();
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
            running.awaitEndWithoutFailures();
        }
        assertThat(String.join("", turns)).as("the order the fibers ran in").isEqualTo("ABABABABAB");
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
                running.awaitEndWithoutFailures();
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
        Fiber good = dispatcher.start("good", () -> {
            for (int i = 0; i < 5; i++) {
                turns.add("good " + i);
                dispatcher.yield();
            }
        });
        try (Running running = Running.run(dispatcher)) {
            running.awaitEnd();
        }
        assertThat(turns).as("turns the good fiber had, after the bad one threw in its second").hasSize(5);
        assertThat(good.isDone()).as("the good fiber ended").isTrue();
        assertThat(good.failure()).as("what the good fiber threw").isEmpty();
        assertThat(reported).as("fibers reported as failed").containsExactly(bad);
        assertThat(bad.failure()).as("what the bad fiber threw").get()
                .satisfies(t -> assertThat(t).hasMessage("a bug in one handler"));
        assertThat(dispatcher.failed()).as("the dispatcher's failed fibers").containsExactly(bad);
    }

    @Graded(task = "5.1", points = 2)
    void gathered_output_is_printed_per_fiber_when_it_ends_and_debug_output_live_with_the_fiber_id()
            throws Exception {
        ByteArrayOutputStream gathered = new ByteArrayOutputStream();
        SelectDispatcher gathering = new SelectDispatcher()
                .printTo(new PrintStream(gathered, true, StandardCharsets.UTF_8));
        startTalkers(gathering);
        try (Running running = Running.run(gathering)) {
            running.awaitEndWithoutFailures();
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
            running.awaitEndWithoutFailures();
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
            running.awaitEnd();
        }
        assertThat(holder.failure()).as("what the fiber got for sleeping inside synchronized").get()
                .satisfies(t -> assertThat(t).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("lock"));
        assertThat(yielder.failure()).as("what the fiber got for yielding inside synchronized").get()
                .satisfies(t -> assertThat(t).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("lock"));
        CountDownLatch taken = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().start(() -> {
            synchronized (lock) {
                taken.countDown();
            }
        });
        assertThat(taken.await(5, TimeUnit.SECONDS)).as("another thread could take the lock afterwards").isTrue();
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
            running.awaitEndWithoutFailures();
        }
        assertThat(caught.get()).as("what the fiber got for yielding in a static initialiser")
                .isInstanceOf(ExceptionInInitializerError.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("suspend");
        assertThat(String.join("", turns)).as("turns after the refused yield: each fiber once a pass")
                .isEqualTo("IOIOIO");
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

    @Graded(task = "5.1", points = 2)
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
        assertThat(parked.await(5, TimeUnit.SECONDS)).as("both fibers ran up to their wait").isTrue();
        running.close();
        running.awaitEnd();
        assertThat(cleaned).as("fibers whose finally block ran").containsExactlyInAnyOrder("waiter", "sleeper");
        assertThat(waiter.failure()).as("what the parked fiber got when the dispatcher stopped").get()
                .isInstanceOf(java.util.concurrent.CancellationException.class);
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
            running.awaitEndWithoutFailures();
        }
        assertThat(woke).as("the order the sleepers woke in").containsExactly(0, 50, 100, 200, 300);
        assertThat(early).as("sleepers that woke before their time").isEmpty();
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
                assertThat(timedOut.await(5, TimeUnit.SECONDS)).as("the read timed out within 5 s").isTrue();
                echo.client().getOutputStream().write("after".getBytes(US_ASCII));
                assertThat(new String(echo.client().getInputStream().readNBytes(5), US_ASCII))
                        .as("the echo after the other fiber's timeout").isEqualTo("after");
                echo.client().shutdownOutput();
                running.awaitEndWithoutFailures();
            }
        }
        assertThat(thrown.get()).as("what the parked read threw when its time was up")
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(waited.get()).as("ms the read waited before it timed out").isBetween(200, 3000);
    }

    @Graded(task = "5.4", points = 2)
    void a_wait_that_ended_in_time_never_times_out_later() throws Exception {
        SelectDispatcher dispatcher = new SelectDispatcher();
        try (LoopbackPair pair = LoopbackPair.open()) {
            dispatcher.start("prompt", () -> {
                dispatcher.timeout(Duration.ofMillis(500));
                dispatcher.write(pair.server(), ByteBuffer.wrap(new byte[] {'?'}));
                ByteBuffer answer = ByteBuffer.allocate(1);
                dispatcher.read(pair.server(), answer);
                // The read ended in time: its deadline, 500 ms after it parked, must not fire
                // in this sleep, nor in the read after it.
                dispatcher.sleep(Duration.ofMillis(800));
                dispatcher.timeout(null);
                dispatcher.write(pair.server(), ByteBuffer.wrap(new byte[] {'!'}));
                dispatcher.read(pair.server(), answer.clear());
            });
            try (Running running = Running.run(dispatcher)) {
                InputStream in = pair.client().getInputStream();
                OutputStream out = pair.client().getOutputStream();
                assertThat(in.read()).isEqualTo('?');
                out.write('a');
                assertThat(in.read()).isEqualTo('!');
                out.write('b');
                running.awaitEndWithoutFailures();
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
                InputStream in = pair.client().getInputStream();
                assertThat(new String(in.readNBytes(6), US_ASCII)).as("what the fiber wrote after its read timed out")
                        .isEqualTo("again?");
                OutputStream out = pair.client().getOutputStream();
                for (char c : "yes".toCharArray()) {
                    out.write(c);
                    out.flush();
                }
                running.awaitEndWithoutFailures();
            }
        }
        assertThat(first.get()).as("what the first read threw").isInstanceOf(SocketTimeoutException.class);
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
