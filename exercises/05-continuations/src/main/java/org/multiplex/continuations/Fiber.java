package org.multiplex.continuations;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One task of a {@link SelectDispatcher}: a {@link Coroutine} with a name, a state, an output of
 * its own and the timeout its calls wait at most.
 *
 * <p>A fiber is made by {@link SelectDispatcher#start(String, SelectDispatcher.Task)} and lives
 * until its task returns or throws. The dispatcher keeps what it needs to know about the one
 * thing the fiber waits for; the fiber's own code never sees any of it.
 */
public final class Fiber {

    /** What a fiber's output does with the lines it is given. */
    public enum Output {
        /** Kept with the time of each line, and printed all together when the fiber ends. */
        GATHER,
        /** Printed at once, each line after the fiber's id; every wait is printed too. */
        DEBUG
    }

    private final int id;
    private final String name;
    private final SelectDispatcher.Task task;
    final Coroutine coroutine;
    private final long startNanos = System.nanoTime();
    private final Output mode;
    private final PrintStream sink;
    /** Made on first use: a print stream and its buffers cost more than all else a fiber holds. */
    private ByteArrayOutputStream gathered;
    private PrintStream out;

    /** The wait the fiber is parked in, or null while it runs or is ready to run. */
    SelectDispatcher.Wait waiting;
    /** Thrown in the fiber when it is resumed: a timeout, or its channel closed under it. */
    Exception resumeWith;
    /** Fibers waiting for this one to end. */
    java.util.List<SelectDispatcher.Wait> joiners = java.util.List.of();
    /** Each later call waits at most this long; null waits for ever. */
    Duration timeout;
    private Throwable failure;
    private boolean ended;

    Fiber(int id, String name, SelectDispatcher.Task task, Output mode, PrintStream sink) {
        this.id = id;
        this.name = name;
        this.task = task;
        this.coroutine = new Coroutine(this::body);
        this.mode = mode;
        this.sink = sink;
    }

    private void body() {
        try {
            task.run();
        } catch (Throwable t) {
            failure = t;
        } finally {
            ended = true;
            if (out != null) {
                out.flush();
            }
        }
    }

    /** Returns the fiber's number, unique within its dispatcher. */
    public int id() {
        return id;
    }

    /** Returns the name the fiber was started with. */
    public String name() {
        return name;
    }

    /** Returns whether the fiber's task has returned or thrown. */
    public boolean isDone() {
        return ended;
    }

    /** Returns what the task threw, if it ended by throwing. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Returns the stream the fiber prints to; see {@link Output}. */
    public PrintStream out() {
        if (out == null) {
            if (mode == Output.GATHER) {
                gathered = new ByteArrayOutputStream();
                out = new PrintStream(new Lines(gathered,
                        () -> String.format("%6.2f ", (System.nanoTime() - startNanos) / 1e9)), true,
                        StandardCharsets.UTF_8);
            } else {
                out = new PrintStream(new Lines(sink, () -> String.format(" %04X ", id)), true,
                        StandardCharsets.UTF_8);
            }
        }
        return out;
    }

    /** Returns what the fiber has printed so far and not yet handed on, in {@link Output#GATHER} mode. */
    String gathered() {
        return gathered == null ? "" : gathered.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "fiber " + id + " (" + name + ")";
    }

    /** Puts a prefix before every line written through it. */
    private static final class Lines extends OutputStream {
        private final OutputStream target;
        private final java.util.function.Supplier<String> prefix;
        private boolean lineStart = true;

        Lines(OutputStream target, java.util.function.Supplier<String> prefix) {
            this.target = target;
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            if (lineStart) {
                target.write(prefix.get().getBytes(StandardCharsets.UTF_8));
            }
            target.write(b);
            lineStart = b == '\n';
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            target.flush();
        }
    }
}
