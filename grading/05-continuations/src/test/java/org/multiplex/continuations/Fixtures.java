package org.multiplex.continuations;

import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** What the lesson's tests share: a dispatcher run on a thread of its own, watched. */
final class Fixtures {

    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /**
     * How long a test waits for something the dispatcher should do in milliseconds: long enough
     * for a loaded machine, short enough that a loop that hangs costs seconds, not minutes.
     */
    static final Duration PATIENCE = Duration.ofSeconds(4);
    /** How long a test waits once an earlier test of the run has seen the loop hang. */
    private static final Duration PATIENCE_AFTER_A_HANG = Duration.ofSeconds(2);
    /** How long run() may go on once no fiber is left: it should return at once. */
    private static final Duration NO_FIBER_LEFT = Duration.ofMillis(1500);
    /** Whether a test of this run has already seen a dispatcher that never ended. */
    private static volatile boolean hungBefore;

    /**
     * How long a closed server's thread may take to end: a correct one ends within milliseconds;
     * one that burns a CPU meanwhile fails after {@link #SPIN_WINDOW} already.
     */
    private static final Duration STOPPING = Duration.ofSeconds(5);
    /**
     * How long a closed server's thread is watched for spinning: a fifth of it on a CPU is a fiber
     * that never parks (a thread that is stopping uses microseconds; one that spins gets a fifth of
     * a CPU unless the machine is very loaded, and then fails after {@link #STOPPING}).
     */
    private static final Duration SPIN_WINDOW = Duration.ofMillis(1000);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Fixtures() {
    }

    /** A server that {@link #closing} closes, and fails if its thread goes on: close() never hangs a test. */
    @FunctionalInterface
    interface Closing extends AutoCloseable {
        @Override
        void close() throws InterruptedException;
    }

    /**
     * Returns what closes a server at the end of a try-with-resources block, as
     * {@link #closeWithin} does; a failure of the block stays the test's message.
     *
     * @param after what the test did, for the message if the server does not stop
     */
    static Closing closing(SockServer server, String after) {
        return () -> closeWithin(server, after);
    }

    /**
     * Closes a server, and fails if its thread has not ended soon after: within about a second
     * if the thread keeps a CPU busy meanwhile (a fiber that runs and never parks holds it, and
     * close() would wait for it for ever), else after {@link #STOPPING}. A server that does not
     * stop is left behind, never waited for.
     *
     * @param after what the test did, for the message
     */
    static void closeWithin(SockServer server, String after) throws InterruptedException {
        Thread loop = threadOf(server);
        Thread closer = Thread.ofPlatform().daemon().name("test-closer").start(server::close);
        long start = System.nanoTime();
        long windowStart = start;
        long cpuAtWindowStart = cpuNanos(loop);
        while (true) {
            closer.join(100);
            if (!closer.isAlive()) {
                return;
            }
            long now = System.nanoTime();
            if (now - windowStart >= SPIN_WINDOW.toNanos()) {
                long cpu = cpuNanos(loop);
                if (cpuAtWindowStart >= 0 && cpu >= 0 && cpu - cpuAtWindowStart >= (now - windowStart) / 5) {
                    abandon(server, closer);
                    throw new AssertionError(String.format("closed, the server's thread had not stopped %.1f s later"
                            + " and kept a CPU busy: a fiber runs and never parks, so the loop never gets back to"
                            + " select (does read park when it gets 0 bytes into a buffer with room, and does a"
                            + " reader refuse a full buffer rather than read into it again?). After %s",
                            (now - start) / 1e9, after));
                }
                windowStart = now;
                cpuAtWindowStart = cpu;
            }
            if (now - start >= STOPPING.toNanos()) {
                abandon(server, closer);
                throw new AssertionError("closed, the server's thread had not stopped " + STOPPING.toSeconds()
                        + " s later: is a fiber blocked in a call that does not park (a blocking socket, a lock)?"
                        + " After " + after);
            }
        }
    }

    /**
     * Closes every channel of a server that will not stop, so that the fiber that holds its thread
     * fails at its next read or write and the thread does not spin for the rest of the run, in the
     * way of the tests that come after; waits a moment for that.
     */
    private static void abandon(SockServer server, Thread closer) throws InterruptedException {
        try {
            Object dispatcher = field(SockServer.class, "dispatcher").get(server);
            java.nio.channels.Selector selector = (java.nio.channels.Selector) field(SelectDispatcher.class, "selector")
                    .get(dispatcher);
            for (java.nio.channels.SelectionKey key : java.util.List.copyOf(selector.keys())) {
                key.channel().close();
            }
        } catch (ReflectiveOperationException | RuntimeException | java.io.IOException e) {
            // The thread is left to spin: the tests after this one run slower, nothing worse.
        }
        closer.join(500);
    }

    private static java.lang.reflect.Field field(Class<?> type, String name) throws NoSuchFieldException {
        java.lang.reflect.Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** Returns the thread that runs a server's dispatcher, or null if there is none to find. */
    private static Thread threadOf(SockServer server) {
        try {
            return (Thread) field(SockServer.class, "thread").get(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Returns the CPU time a thread has used, or -1 if unknown. */
    private static long cpuNanos(Thread thread) {
        return thread == null ? -1 : THREADS.getThreadCpuTime(thread.threadId());
    }

    /** Returns how long to wait for what should take milliseconds. */
    static Duration patience() {
        return hungBefore ? PATIENCE_AFTER_A_HANG : PATIENCE;
    }

    /** A dispatcher running on a thread of its own, from the fibers already started. */
    static final class Running implements AutoCloseable {
        private final SelectDispatcher dispatcher;
        private final Thread thread;
        private volatile Throwable died;

        Running(SelectDispatcher dispatcher) {
            this.dispatcher = dispatcher;
            this.thread = Thread.ofPlatform().name("test-dispatcher").daemon().start(() -> {
                try {
                    dispatcher.run();
                } catch (Throwable e) {
                    died = e;
                }
            });
        }

        static Running run(SelectDispatcher dispatcher) {
            return new Running(dispatcher);
        }

        long threadId() {
            return thread.threadId();
        }

        /** Waits for every fiber to end and run() to return; fails if that takes too long. */
        void awaitEnd() throws InterruptedException {
            awaitEnd("is a fiber parked that nothing wakes?");
        }

        /**
         * Waits for every fiber to end and run() to return, and fails fast with a hint if it does
         * not: at once when every fiber has ended and run() still runs, else after {@link #patience()}.
         *
         * @param hint the likely cause if some fiber never ends, in the lesson's words
         */
        void awaitEnd(String hint) throws InterruptedException {
            long deadline = System.nanoTime() + patience().toNanos();
            long noFiberSince = 0;
            while (thread.isAlive()) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    hungBefore = true;
                    fail("after %d s, %d fiber(s) had not ended and the dispatcher still ran: %s",
                            patience().toSeconds(), dispatcher.fibers(), hint);
                }
                if (died == null && dispatcher.fibers() == 0) {
                    if (noFiberSince == 0) {
                        noFiberSince = now;
                    } else if (now - noFiberSince >= NO_FIBER_LEFT.toNanos()) {
                        hungBefore = true;
                        fail("every fiber had ended, yet run() had not returned %.1f s later: does pass() return"
                                + " when no fiber is left, or does it select (for ever) with nothing to wait for?",
                                NO_FIBER_LEFT.toMillis() / 1000.0);
                    }
                } else {
                    noFiberSince = 0;
                }
                thread.join(20);
            }
            if (died instanceof org.multiplex.kit.Todo todo) {
                throw todo;
            }
            if (died != null) {
                fail("the dispatcher's loop itself threw " + died + ": one fiber's exception must end that fiber"
                        + " only, never the loop", died);
            }
        }

        /** Waits as {@link #awaitEnd(String)} does, and fails if any fiber ended by throwing. */
        void awaitEndWithoutFailures(String hint) throws InterruptedException {
            awaitEnd(hint);
            for (Fiber fiber : dispatcher.failed()) {
                Throwable thrown = fiber.failure().orElseThrow();
                fail(fiber + " ended by throwing " + thrown, thrown);
            }
        }

        /** Waits as {@link #awaitEnd()} does, and fails if any fiber ended by throwing. */
        void awaitEndWithoutFailures() throws InterruptedException {
            awaitEndWithoutFailures("is a fiber parked that nothing wakes?");
        }

        @Override
        public void close() throws InterruptedException {
            dispatcher.stop();
            thread.join(PATIENCE_AFTER_A_HANG.toMillis());
        }
    }
}
