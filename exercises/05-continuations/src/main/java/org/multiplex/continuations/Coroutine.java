package org.multiplex.continuations;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * A body of code that can stop in the middle and be resumed later, on the same thread, where it
 * stopped: the course's one window on {@code jdk.internal.vm.Continuation}, the JDK's own
 * primitive under virtual threads.
 *
 * <p>{@link #resume()} runs the body until it calls {@link #suspend()} or ends; the next
 * {@code resume()} returns into that {@code suspend()} call, with the body's whole stack (its
 * locals, its callers, its loops) as it was. No other class of the course touches the internal
 * API, so it could move to another primitive without the rest noticing.
 *
 * <pre>{@code
 * Coroutine c = new Coroutine(() -> {
 *     System.out.println("one");
 *     Coroutine.suspend();
 *     System.out.println("two");
 * });
 * c.resume();          // prints one
 * c.resume();          // prints two; c.isDone() is now true
 * }</pre>
 */
public final class Coroutine {

    private static final ContinuationScope SCOPE = new ContinuationScope("multiplex");

    private final Continuation continuation;

    /**
     * Makes a coroutine that has not started yet.
     *
     * @param body what to run; it may call {@link #suspend()} any number of times
     */
    public Coroutine(Runnable body) {
        continuation = new Continuation(SCOPE, body) {
            @Override
            protected void onPinned(Continuation.Pinned reason) {
                // Thrown in the body, out of suspend(): the caller learns why it cannot stop here.
                throw new IllegalStateException(switch (reason) {
                    case NATIVE -> "cannot suspend with a native method on the stack";
                    case MONITOR -> "cannot suspend while holding a monitor";
                    case CRITICAL_SECTION -> "cannot suspend inside a class initialiser or another"
                            + " critical section of the JDK";
                    case EXCEPTION -> "cannot suspend while an exception is being thrown";
                });
            }
        };
    }

    /**
     * Runs the body from where it last stopped until it suspends again or ends.
     *
     * @throws IllegalStateException if the body has ended, or if this coroutine is running
     */
    public void resume() {
        if (continuation.isDone()) {
            throw new IllegalStateException("the coroutine has ended");
        }
        continuation.run();
    }

    /** Returns whether the body has ended, by returning or by throwing. */
    public boolean isDone() {
        return continuation.isDone();
    }

    /**
     * Stops the coroutine that is running now, returning control to whoever resumed it; returns
     * when it is resumed.
     *
     * @throws IllegalStateException if no coroutine is running, or if the stack cannot be
     *                               suspended here (a native frame or a class initialiser)
     */
    public static void suspend() {
        if (!inside()) {
            throw new IllegalStateException("suspend() called outside any coroutine");
        }
        Continuation.yield(SCOPE);
    }

    /** Returns whether the calling code runs inside a coroutine. */
    public static boolean inside() {
        return Continuation.getCurrentContinuation(SCOPE) != null;
    }
}
