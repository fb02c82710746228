package org.multiplex.select;

import java.io.InterruptedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.IllegalBlockingModeException;
import java.util.ConcurrentModificationException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.multiplex.kit.Todo;

/**
 * Watches the select loop's thread while a test runs: a runtime exception that escapes a handler
 * ends the loop, and every later failure of the test (an answer that never comes) is explained by
 * that death, named with its likely cause, rather than by what the clients saw afterwards.
 */
final class LoopWatch {

    /** What killed each thread that died during the current test. */
    private static final Map<Thread, Throwable> DEATHS = new ConcurrentHashMap<>();

    static {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            DEATHS.put(thread, e);
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }

    /** A test's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private LoopWatch() {
    }

    /**
     * Runs a test's body; if it fails after a server's loop thread died, fails with the death.
     *
     * @param body the test
     */
    static void watch(Body body) throws Exception {
        DEATHS.clear();
        try {
            body.run();
        } catch (Exception | AssertionError failure) {
            Throwable death = DEATHS.entrySet().stream()
                    .filter(d -> d.getKey().getName().startsWith("select-"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (death == null || death instanceof Todo) {
                throw failure;
            }
            AssertionError explained = new AssertionError(explain(death) + " (then the test saw: "
                    + firstLine(failure) + ")");
            explained.setStackTrace(death.getStackTrace());
            throw explained;
        }
    }

    /** Returns whether a server's loop thread has died during the current test. */
    static boolean loopDied() {
        return DEATHS.keySet().stream().anyMatch(t -> t.getName().startsWith("select-"));
    }

    /** Returns what a loop's death says, in the lesson's words. */
    static String explain(Throwable death) {
        String died = "the server's loop thread died of " + death.getClass().getSimpleName() + ", and with it"
                + " the server: ";
        return died + switch (death) {
            case CancelledKeyException e -> "a key cancelled earlier in the same pass (a client dropped while"
                    + " handling another) was asked what it is ready for. Skip a key that is no longer"
                    + " isValid() before asking isAcceptable() or isReadable()";
            case IllegalBlockingModeException e -> "a channel was registered while still blocking; call"
                    + " configureBlocking(false) before register()";
            case java.io.UncheckedIOException e -> "readable() let an UncheckedIOException out. answer() throws it"
                    + " when a client does not read its answers (a write that takes only part); catch it with"
                    + " the IOExceptions, count it with stats.failed() and drop the client";
            case NullPointerException e -> "accept() returns null when no connection is queued, as for a selected"
                    + " key left in the set with its old ready bits; remove each selected key through the"
                    + " iterator";
            case ConcurrentModificationException e -> "the selected-key set changed while it was walked; remove"
                    + " each key through the iterator (ready.remove()), not from the set";
            case ClassCastException e -> "a key's attachment or channel is not what the code thought; the"
                    + " listener's key has no attachment";
            default -> "a runtime exception that escapes a handler ends the loop; see tests.log for its stack"
                    + " trace";
        };
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        if (t instanceof InterruptedIOException || !(t instanceof AssertionError)) {
            message = t.getClass().getSimpleName() + ": " + message;
        }
        int end = message.indexOf('\n');
        message = end < 0 ? message : message.substring(0, end);
        return message.length() <= 160 ? message : message.substring(0, 160) + " ...";
    }
}
