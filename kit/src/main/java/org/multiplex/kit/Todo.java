package org.multiplex.kit;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Thrown by an exercise stub: the code that should stand here is the student's task.
 *
 * <p>Its message names the lesson's task, as {@code TODO(1.2): answer every request in order}.
 * A stub often throws on a server thread, where the test never sees it; so every {@code Todo}
 * also records itself, and the score table shows the first one raised during a failed test in
 * place of whatever the client saw (a closed connection, a timeout).
 *
 * <p>A client of the kit waiting for an answer that a stub will never send would otherwise wait
 * for its whole read timeout. So the kit's clients register their sockets with
 * {@link #closeWhenReached}, and the first stub reached closes them all: the test fails at once,
 * and the score table shows the stub's message.
 */
public final class Todo extends UnsupportedOperationException {

    private static final List<Todo> RAISED = new ArrayList<>();
    private static final Set<Closeable> WAITING = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final String task;

    /**
     * Makes the exception and records it.
     *
     * @param task     the task number, as {@code "1.2"}
     * @param whatToDo one line telling the student what to write
     */
    public Todo(String task, String whatToDo) {
        super("TODO(" + task + "): " + whatToDo);
        this.task = task;
        synchronized (RAISED) {
            RAISED.add(this);
        }
        List<Closeable> toClose;
        synchronized (WAITING) {
            toClose = List.copyOf(WAITING);
            WAITING.clear();
        }
        toClose.forEach(Todo::closeQuietly);
    }

    /**
     * Explains why a demo failed: the first stub the code reached, if it reached one (a student's
     * task still to do), or else the failure itself.
     *
     * @param  failure what the demo caught
     * @return one line to print
     */
    public static String explain(Throwable failure) {
        List<Todo> raised = drain();
        return raised.isEmpty() ? failure.toString() : "the code reached a stub: " + raised.get(0).getMessage();
    }

    /**
     * Closes something (a client's socket) as soon as any stub is reached, so that a client
     * waiting for an answer fails at once instead of at its timeout.
     *
     * @param c what to close; held weakly, so registering never keeps anything alive
     */
    public static void closeWhenReached(Closeable c) {
        boolean reached;
        synchronized (RAISED) {
            reached = !RAISED.isEmpty();
        }
        if (reached) {
            // A stub was reached already during this test: whatever this client waits for, the
            // broken server will not send it.
            closeQuietly(c);
        } else {
            WAITING.add(c);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing is all that matters; a socket that fails to close is closed enough.
        }
    }

    /** Returns the task this stub belongs to. */
    public String task() {
        return task;
    }

    /**
     * Returns and forgets every {@code Todo} raised since the last call.
     *
     * @return the stubs reached, oldest first
     */
    public static List<Todo> drain() {
        synchronized (RAISED) {
            List<Todo> raised = List.copyOf(RAISED);
            RAISED.clear();
            return raised;
        }
    }
}
