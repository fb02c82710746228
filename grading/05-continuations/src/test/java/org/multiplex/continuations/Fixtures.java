package org.multiplex.continuations;

import static org.assertj.core.api.Assertions.fail;

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

    private Fixtures() {
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
