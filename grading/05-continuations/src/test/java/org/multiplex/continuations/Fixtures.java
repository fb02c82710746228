package org.multiplex.continuations;

import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** What the lesson's tests share: a dispatcher run on a thread of its own. */
final class Fixtures {

    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** How long a test waits for something the dispatcher should do at once. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Fixtures() {
    }

    /** A dispatcher running on a thread of its own, from the fibers already started. */
    static final class Running implements AutoCloseable {
        private final SelectDispatcher dispatcher;
        private final Thread thread;
        private volatile Throwable died;

        Running(SelectDispatcher dispatcher) {
            this.dispatcher = dispatcher;
            this.thread = Thread.ofPlatform().name("test-dispatcher").start(() -> {
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
            thread.join(PATIENCE.toMillis());
            if (thread.isAlive()) {
                fail("the dispatcher still runs after %d s: %d fiber(s) never ended (parked and never woken?)",
                        PATIENCE.toSeconds(), dispatcher.fibers());
            }
            if (died != null) {
                fail("the dispatcher's loop threw: " + died, died);
            }
        }

        /** Waits as {@link #awaitEnd()} does, and fails if any fiber ended by throwing. */
        void awaitEndWithoutFailures() throws InterruptedException {
            awaitEnd();
            for (Fiber fiber : dispatcher.failed()) {
                fail(fiber + " threw " + fiber.failure().orElseThrow(), fiber.failure().orElseThrow());
            }
        }

        @Override
        public void close() throws InterruptedException {
            dispatcher.stop();
            thread.join(PATIENCE.toMillis());
        }
    }
}
