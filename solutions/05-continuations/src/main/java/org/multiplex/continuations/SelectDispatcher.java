package org.multiplex.continuations;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * McMillan's SelectDispatcher in Java: asyncore turned right-side out.
 *
 * <p>Code that reads like blocking I/O, {@code dispatcher.read(channel, buffer)}, runs in a
 * {@link Fiber}. When the channel has nothing to give, the call does not block the thread: it
 * parks the fiber (suspends its {@link Coroutine}) with its channel's key, and the select loop
 * resumes it where it stopped once the channel is ready. One thread, one selector, as many
 * fibers as there are connections, each written as if it had a thread of its own.
 *
 * <pre>{@code
 * SelectDispatcher dispatcher = new SelectDispatcher();
 * dispatcher.start("echo", () -> {
 *     try (SocketChannel channel = ...) {
 *         ByteBuffer buffer = ByteBuffer.allocate(1024);
 *         while (dispatcher.read(channel, buffer) > 0) {
 *             dispatcher.write(channel, buffer.flip());
 *             buffer.clear();
 *         }
 *     }
 * });
 * dispatcher.run();    // returns once every fiber has ended
 * }</pre>
 *
 * <p>The calls that park ({@link #accept}, {@link #connect}, {@link #read}, {@link #write},
 * {@link #yield}, {@link #sleep}, {@link #park}) must be made by a fiber of this dispatcher, on
 * its thread. {@link #start}, {@link #unpark}, {@link #stop} and {@link #close} may be called
 * from any thread.
 */
public final class SelectDispatcher implements Io, AutoCloseable {

    /** What a fiber runs. Unlike a {@link Runnable}, it may throw; a fiber that throws ends alone. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    /** One fiber waiting for one thing: a channel to be ready, a deadline, or an unpark. */
    static final class Wait {
        final Fiber fiber;
        final SelectionKey key;
        final int op;
        final long deadline;
        final String what;
        boolean over;

        Wait(Fiber fiber, SelectionKey key, int op, long deadline, String what) {
            this.fiber = fiber;
            this.key = key;
            this.op = op;
            this.deadline = deadline;
            this.what = what;
        }
    }

    /**
     * The fibers waiting on one channel. A channel has one key per selector, yet one fiber may
     * read it while another writes it: each direction has a slot of its own, and the key's
     * interest is what the two slots want together.
     */
    private static final class Waiters {
        Wait reader;
        Wait writer;
        /** Whether the last read took less than it had room for: the socket was left empty. */
        boolean emptied;

        int interest() {
            return (reader == null ? 0 : reader.op) | (writer == null ? 0 : writer.op);
        }
    }

    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Selector selector;
    /** Fibers to resume in this pass, in order. */
    private final ArrayDeque<Fiber> ready = new ArrayDeque<>();
    /** Fibers that yielded in this pass: they run again after the next select. */
    private final ArrayDeque<Fiber> yielded = new ArrayDeque<>();
    /** Waits with a deadline, earliest first; a wait that ended otherwise stays until it comes up. */
    private final PriorityQueue<Wait> deadlines = new PriorityQueue<>(
            (a, b) -> Long.compare(a.deadline, b.deadline));
    /** Work handed in by other threads: fibers to start, fibers to unpark. */
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final List<Fiber> failed = new ArrayList<>();

    private volatile Thread owner;
    private volatile boolean stopping;
    private boolean closed;
    private Fiber current;
    /** Every fiber started and not yet ended. */
    private final Set<Fiber> alive = new HashSet<>();
    private int nextId = 1;
    private boolean checkMonitors = SelectDispatcher.class.desiredAssertionStatus();
    private Fiber.Output output = Fiber.Output.GATHER;
    private PrintStream sink = System.out;
    private Consumer<Fiber> onFailure = this::report;

    /**
     * Opens a dispatcher with its selector.
     *
     * @throws IOException if the selector cannot be opened
     */
    public SelectDispatcher() throws IOException {
        selector = Selector.open();
    }

    // ---------------------------------------------------------------------------------------
    // Settings, made before run()

    /**
     * Checks, before every park, that the fiber holds no monitor, and throws in it if it does.
     * A fiber that parked inside {@code synchronized} would take the lock with it: any other code
     * that wants the lock, on any thread, would wait until the fiber runs again. The check costs
     * tens of microseconds a park, so it is on by default only with assertions ({@code -ea}).
     */
    public SelectDispatcher checkMonitors(boolean on) {
        checkMonitors = on;
        return this;
    }

    /** Chooses what fibers' output does (the seed's GatherFiber and DebugFiber); GATHER by default. */
    public SelectDispatcher output(Fiber.Output mode) {
        output = mode;
        return this;
    }

    /** Chooses where fibers' output, and reports of failed fibers, are printed; System.out by default. */
    public SelectDispatcher printTo(PrintStream stream) {
        sink = stream;
        return this;
    }

    /** Chooses what happens when a fiber ends by throwing; by default it is printed with its output. */
    public SelectDispatcher onFailure(Consumer<Fiber> action) {
        onFailure = action;
        return this;
    }

    // ---------------------------------------------------------------------------------------
    // Starting fibers and running them

    /**
     * Starts a fiber: the seed's {@code start(callable, args)}. Called by a fiber, the new one
     * runs after the caller parks or ends; called before {@link #run()}, it runs then.
     *
     * @param name a name for reports and debugging
     * @param task what the fiber runs
     * @return the fiber, not yet run
     */
    public Fiber start(String name, Task task) {
        Fiber fiber;
        synchronized (this) {
            fiber = new Fiber(nextId++, name, task, output, sink);
        }
        if (isOwner() || owner == null) {
            schedule(fiber);
        } else {
            inbox.add(() -> schedule(fiber));
            selector.wakeup();
        }
        return fiber;
    }

    private void schedule(Fiber fiber) {
        if (stopping) {
            return;
        }
        alive.add(fiber);
        ready.add(fiber);
        if (output == Fiber.Output.DEBUG) {
            sink.printf("[ %04X ] %s started%n", fiber.id(), fiber.name());
        }
    }

    /**
     * Runs the select loop on the calling thread until every fiber has ended or {@link #stop()}
     * is called, then closes the dispatcher.
     *
     * @throws IOException if the selector fails
     */
    public void run() throws IOException {
        owner = Thread.currentThread();
        try {
            while (!stopping && !alive.isEmpty()) {
                pass();
            }
        } finally {
            close();
        }
    }

    // tag::pass[]
    /** One pass of the loop: run every ready fiber, then wait for channels and deadlines. */
    private void pass() throws IOException {
        // BEGIN SOLUTION 5.1: run the inbox (drainInbox()) and the ready fibers; return if stopping or no fiber is left; select until the earliest deadline (or not at all if fibers are ready); resume fibers whose channel is ready or whose deadline passed; then let the yielded run again
        drainInbox();
        for (Fiber fiber; (fiber = ready.poll()) != null; ) {
            resume(fiber);
        }
        if (stopping || alive.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (!yielded.isEmpty() || !inbox.isEmpty()) {
            selector.selectNow(this::ready);
        } else if (deadlines.isEmpty()) {
            selector.select(this::ready);
        } else {
            long wait = deadlines.peek().deadline - now;
            if (wait <= 0) {
                selector.selectNow(this::ready);
            } else {
                // select() counts in milliseconds: round up, or a fiber would wake a little early.
                selector.select(this::ready, Math.max(1, (wait + 999_999) / 1_000_000));
            }
        }
        expire(System.nanoTime());
        ready.addAll(yielded);
        yielded.clear();
        // END SOLUTION
    }
    // end::pass[]

    /** The selector found a channel ready: hand it to the fibers waiting for what it is ready for. */
    // tag::ready[]
    private void ready(SelectionKey key) {
        // BEGIN SOLUTION 5.2: wake the waiting reader if the key is ready for its operation, and the waiting writer likewise; drop interest in what nobody waits for any more
        Waiters waiters = (Waiters) key.attachment();
        int readyOps = key.readyOps();
        // Interest is dropped lazily: only when the key turns up ready for what no fiber waits for.
        int unwanted = readyOps & ~waiters.interest();
        if (unwanted != 0) {
            key.interestOps(key.interestOps() & ~unwanted);
        }
        if (waiters.reader != null && (readyOps & waiters.reader.op) != 0) {
            wake(waiters.reader, null);
        }
        if (waiters.writer != null && (readyOps & waiters.writer.op) != 0) {
            wake(waiters.writer, null);
        }
        // END SOLUTION
    }
    // end::ready[]

    // tag::expire[]
    /** Resumes the fibers whose deadline has passed, with a timeout thrown in each (none for a sleeper). */
    private void expire(long now) {
        // BEGIN SOLUTION 5.4: take every wait whose deadline is at or before now off the queue; wake each one still pending, with a SocketTimeoutException unless it was a sleep
        while (!deadlines.isEmpty() && deadlines.peek().deadline <= now) {
            Wait wait = deadlines.poll();
            if (!wait.over) {
                wake(wait, wait.key == null ? null
                        : new SocketTimeoutException(wait.what + " timed out"));
            }
        }
        // END SOLUTION
    }
    // end::expire[]

    /**
     * Ends a wait: clears its slot, and puts its fiber on the ready queue. The key's interest is
     * left as it is: a fiber woken to read usually parks to read again before the next select, and
     * changing interest twice a request costs two system calls. {@link #ready} drops interest that
     * nobody wants any more, when it turns up.
     */
    private void wake(Wait wait, Exception thrown) {
        undo(wait);
        wait.fiber.waiting = null;
        wait.fiber.resumeWith = thrown;
        ready.add(wait.fiber);
    }

    /** Runs one fiber until it parks or ends. */
    private void resume(Fiber fiber) {
        current = fiber;
        try {
            fiber.coroutine.resume();
        } finally {
            current = null;
        }
        if (fiber.coroutine.isDone()) {
            ended(fiber);
        }
    }

    private void ended(Fiber fiber) {
        alive.remove(fiber);
        for (Wait joiner : fiber.joiners) {
            if (!joiner.over) {
                wake(joiner, null);
            }
        }
        if (fiber.failure().isPresent()) {
            failed.add(fiber);
            onFailure.accept(fiber);
        } else if (output == Fiber.Output.GATHER && !fiber.gathered().isEmpty()) {
            sink.print("[ " + fiber + " ]\n" + fiber.gathered());
        } else if (output == Fiber.Output.DEBUG) {
            sink.printf("[ %04X ] ended%n", fiber.id());
        }
    }

    /** The default report of a failed fiber: its output so far, then what it threw. */
    private void report(Fiber fiber) {
        StringBuilder report = new StringBuilder("[ " + fiber + " failed ]\n").append(fiber.gathered());
        java.io.StringWriter trace = new java.io.StringWriter();
        fiber.failure().orElseThrow().printStackTrace(new java.io.PrintWriter(trace));
        sink.print(report.append(trace));
    }

    private void drainInbox() {
        for (Runnable r; (r = inbox.poll()) != null; ) {
            r.run();
        }
    }

    // ---------------------------------------------------------------------------------------
    // The calls that look blocking

    /**
     * Accepts a connection, parking the fiber until one arrives.
     *
     * @return the client's channel, in non-blocking mode
     */
    public SocketChannel accept(ServerSocketChannel listener) throws IOException {
        nonBlocking(listener);
        while (true) {
            SocketChannel client = listener.accept();
            if (client != null) {
                client.configureBlocking(false);
                return client;
            }
            park(listener, SelectionKey.OP_ACCEPT, "accept");
        }
    }

    /**
     * Connects a channel, parking the fiber until the connection is made or refused.
     *
     * @throws java.net.ConnectException if the connection is refused, thrown in the fiber
     */
    public void connect(SocketChannel channel, SocketAddress address) throws IOException {
        nonBlocking(channel);
        if (!channel.connect(address)) {
            park(channel, SelectionKey.OP_CONNECT, "connect to " + address);
            channel.finishConnect();
        }
    }

    // tag::read[]
    /**
     * Reads into a buffer, parking the fiber while the channel has nothing to give.
     *
     * @return the number of bytes read, at least one; -1 at the end of the stream; 0 only if the
     * buffer has no room
     */
    @Override
    public int read(SocketChannel channel, ByteBuffer buffer) throws IOException {
        // BEGIN SOLUTION 5.3: read at once, unless the last read emptied the socket (then park first); park for OP_READ whenever a read gives 0 bytes into a buffer with room; note whether the read emptied the socket
        nonBlocking(channel);
        if (emptied(channel) && buffer.hasRemaining()) {
            park(channel, SelectionKey.OP_READ, "read");
        }
        while (true) {
            int room = buffer.remaining();
            int n = channel.read(buffer);
            if (n != 0 || !buffer.hasRemaining()) {
                noteRead(channel, n > 0 && n < room);
                return n;
            }
            park(channel, SelectionKey.OP_READ, "read");
        }
        // END SOLUTION
    }
    // end::read[]

    /**
     * Returns whether the last read of a channel took less than it had room for: then the socket
     * had nothing more, and trying again at once would cost a system call that returns 0. Netty
     * stops reading for the same reason.
     */
    private boolean emptied(SocketChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && ((Waiters) key.attachment()).emptied;
    }

    /** Remembers whether a read emptied its socket, once the channel has a key to keep it in. */
    private void noteRead(SocketChannel channel, boolean emptied) {
        SelectionKey key = channel.keyFor(selector);
        if (key != null) {
            ((Waiters) key.attachment()).emptied = emptied;
        }
    }

    // tag::write[]
    /**
     * Writes the whole buffer, parking the fiber whenever the channel can take no more: it
     * returns once every byte has been handed to the system.
     *
     * @return the number of bytes written
     */
    @Override
    public int write(SocketChannel channel, ByteBuffer buffer) throws IOException {
        // BEGIN SOLUTION 5.3: write until the buffer is empty; park for OP_WRITE whenever a write takes nothing
        nonBlocking(channel);
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.write(buffer);
            total += n;
            if (n == 0) {
                park(channel, SelectionKey.OP_WRITE, "write");
            }
        }
        return total;
        // END SOLUTION
    }
    // end::write[]

    /** Lets every other ready fiber run: the fiber runs again after the next pass of the loop. */
    public void yield() {
        Fiber fiber = running("yield");
        checkMonitors(fiber, "yield");
        if (stopping) {
            throw new CancellationException("the dispatcher is closing");
        }
        yielded.add(fiber);
        try {
            Coroutine.suspend();
        } catch (IllegalStateException pinned) {
            // The fiber could not stop here (a native frame, a class initialiser): it runs on,
            // and must not be resumed a second time from the queue.
            yielded.removeLastOccurrence(fiber);
            throw pinned;
        }
        rethrowUnchecked(fiber);
    }

    /** Parks the fiber for a while; other fibers run meanwhile. */
    public void sleep(Duration duration) {
        Fiber fiber = running("sleep");
        Wait wait = new Wait(fiber, null, 0, System.nanoTime() + duration.toNanos(), "sleep");
        deadlines.add(wait);
        enter(fiber, wait);
        rethrowUnchecked(fiber);
    }

    /**
     * Parks the fiber until {@link #unpark(Fiber)} is called for it: the building block for
     * fibers that wait for each other (a queue, a lock of fibers).
     */
    public void park() {
        Fiber fiber = running("park");
        enter(fiber, new Wait(fiber, null, 0, NO_DEADLINE, "park"));
        rethrowUnchecked(fiber);
    }

    /**
     * Makes a fiber parked by {@link #park()} ready to run; does nothing if it is not parked so.
     * May be called from any thread.
     */
    public void unpark(Fiber fiber) {
        if (isOwner()) {
            Wait wait = fiber.waiting;
            if (wait != null && wait.key == null && wait.deadline == NO_DEADLINE) {
                wake(wait, null);
            }
        } else {
            inbox.add(() -> unpark(fiber));
            selector.wakeup();
        }
    }

    /**
     * Parks the fiber until another fiber has ended, or for at most a while.
     *
     * @return whether the other fiber has ended
     */
    public boolean join(Fiber other, Duration atMost) {
        Fiber fiber = running("join");
        if (!other.isDone()) {
            Wait wait = new Wait(fiber, null, 0, System.nanoTime() + atMost.toNanos(), "join " + other);
            deadlines.add(wait);
            if (other.joiners.isEmpty()) {
                other.joiners = new ArrayList<>(1);
            }
            other.joiners.add(wait);
            enter(fiber, wait);
            rethrowUnchecked(fiber);
        }
        return other.isDone();
    }

    /**
     * Sets how long every later call of the running fiber waits at most; null for ever. A call
     * that waits longer throws {@link SocketTimeoutException} in the fiber.
     */
    public void timeout(Duration timeout) {
        running("timeout").timeout = timeout;
    }

    /** Returns the fiber that is running now. */
    public Fiber current() {
        return running("current");
    }

    /** Returns the running fiber's output; see {@link Fiber.Output}. */
    public PrintStream out() {
        return running("out").out();
    }

    /**
     * Closes a channel, and resumes any fiber parked on it with an
     * {@link AsynchronousCloseException}, as closing a socket wakes a thread blocked on it.
     */
    @Override
    public void close(SelectableChannel channel) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.attachment() instanceof Waiters waiters) {
            for (Wait wait : new Wait[] {waiters.reader, waiters.writer}) {
                if (wait != null) {
                    wake(wait, new AsynchronousCloseException());
                }
            }
        }
        channel.close();
    }

    /** Returns the fibers that have ended by throwing so far. */
    public List<Fiber> failed() {
        return List.copyOf(failed);
    }

    /** Returns how many fibers have been started and not yet ended. */
    public int fibers() {
        return alive.size();
    }

    // ---------------------------------------------------------------------------------------
    // Parking

    // tag::park[]
    /** Parks the running fiber until the channel is ready for the operation, or its timeout passes. */
    private void park(SelectableChannel channel, int op, String what) throws IOException {
        Fiber fiber = running(what);
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            key = channel.register(selector, 0, new Waiters());
        } else if (!key.isValid()) {
            throw new ClosedChannelException();
        }
        Waiters waiters = (Waiters) key.attachment();
        long deadline = fiber.timeout == null ? NO_DEADLINE : System.nanoTime() + fiber.timeout.toNanos();
        Wait wait = new Wait(fiber, key, op, deadline, what);
        boolean reading = op == SelectionKey.OP_READ || op == SelectionKey.OP_ACCEPT;
        if ((reading ? waiters.reader : waiters.writer) != null) {
            throw new IllegalStateException(fiber + " cannot " + what + ": "
                    + (reading ? waiters.reader : waiters.writer).fiber + " already waits to " + what);
        }
        if (reading) {
            waiters.reader = wait;
        } else {
            waiters.writer = wait;
        }
        int interest = key.interestOps();
        if ((interest & op) == 0) {
            key.interestOps(interest | op);
        }
        if (deadline != NO_DEADLINE) {
            deadlines.add(wait);
        }
        enter(fiber, wait);
        rethrow(fiber);
    }
    // end::park[]

    /** Throws in the fiber what a sleep, park or yield was resumed with: a close. */
    private static void rethrowUnchecked(Fiber fiber) {
        Exception thrown = fiber.resumeWith;
        if (thrown != null) {
            fiber.resumeWith = null;
            throw (RuntimeException) thrown;
        }
    }

    /** Throws in the fiber what it was resumed with: a timeout, or a close. */
    private static void rethrow(Fiber fiber) throws IOException {
        Exception thrown = fiber.resumeWith;
        if (thrown != null) {
            fiber.resumeWith = null;
            if (thrown instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) thrown;
        }
    }

    /** Suspends the fiber in a wait; returns when the loop resumes it. */
    private void enter(Fiber fiber, Wait wait) {
        try {
            checkMonitors(fiber, wait.what);
        } catch (IllegalStateException e) {
            undo(wait);
            throw e;
        }
        if (stopping) {
            undo(wait);
            fiber.resumeWith = cancelled(wait);
            return;
        }
        fiber.waiting = wait;
        if (output == Fiber.Output.DEBUG) {
            sink.printf(" %04X waiting at %s%s%n", fiber.id(), wait.what,
                    wait.deadline == NO_DEADLINE ? "" : String.format(" (%d ms left)",
                            (wait.deadline - System.nanoTime()) / 1_000_000));
        }
        try {
            Coroutine.suspend();
        } catch (IllegalStateException pinned) {
            // The fiber could not stop here: it runs on, and the wait must not wake it later.
            fiber.waiting = null;
            undo(wait);
            throw pinned;
        }
    }

    /** What a wait is resumed with when the dispatcher closes: what closing a socket or interrupting a sleep would give. */
    private static Exception cancelled(Wait wait) {
        return wait.key == null ? new CancellationException("the dispatcher is closing")
                : new AsynchronousCloseException();
    }

    /** Marks a wait over and takes it out of its key's slot. */
    private static void undo(Wait wait) {
        wait.over = true;
        if (wait.key != null) {
            Waiters waiters = (Waiters) wait.key.attachment();
            if (waiters.reader == wait) {
                waiters.reader = null;
            } else if (waiters.writer == wait) {
                waiters.writer = null;
            }
        }
    }

    /** Refuses to park a fiber that holds a monitor: the lock would be held while it sleeps. */
    private void checkMonitors(Fiber fiber, String what) {
        if (!checkMonitors) {
            return;
        }
        ThreadInfo info = THREADS.getThreadInfo(new long[] {Thread.currentThread().threadId()}, true, false)[0];
        // Only the fiber's own frames count: those above the continuation's entry.
        StackTraceElement[] stack = info.getStackTrace();
        int entry = stack.length;
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().equals("jdk.internal.vm.Continuation")
                    && stack[i].getMethodName().equals("enter")) {
                entry = i;
                break;
            }
        }
        for (MonitorInfo monitor : info.getLockedMonitors()) {
            if (monitor.getLockedStackDepth() >= 0 && monitor.getLockedStackDepth() < entry) {
                throw new IllegalStateException(fiber + " cannot " + what + " while it holds the lock of "
                        + describe(monitor) + ", taken in " + monitor.getLockedStackFrame()
                        + ": the lock would stay held while the fiber is parked, and every other"
                        + " thread that wants it would wait. Leave the synchronized block first,"
                        + " or use a java.util.concurrent lock that the fiber does not hold across the call.");
            }
        }
    }

    private static String describe(LockInfo lock) {
        return lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }

    private Fiber running(String what) {
        if (!isOwner() || current == null) {
            throw new IllegalStateException(what + "() must be called by a fiber of this dispatcher");
        }
        return current;
    }

    private boolean isOwner() {
        return Thread.currentThread() == owner;
    }

    private static void nonBlocking(SelectableChannel channel) throws IOException {
        if (channel.isBlocking()) {
            channel.configureBlocking(false);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Stopping

    /** Asks the loop to stop; {@link #run()} then closes the dispatcher and returns. Any thread. */
    public void stop() {
        stopping = true;
        selector.wakeup();
    }

    /**
     * Closes the dispatcher: every parked fiber is resumed with an
     * {@link AsynchronousCloseException}, so its {@code finally} blocks and try-with-resources
     * close what it holds; then every channel still registered and the selector are closed.
     * Called by {@link #run()} as it returns; from another thread, call {@link #stop()}.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (owner != null && !isOwner()) {
            throw new IllegalStateException("close() runs on the dispatcher's thread; call stop()");
        }
        closed = true;
        stopping = true;
        owner = Thread.currentThread();
        // Wake every parked fiber with an exception; each runs until it ends or parks again,
        // and a park while stopping throws at once. A fiber that catches and carries on for ever
        // would keep us here: bound the rounds.
        for (int round = 0; round < 100 && !alive.isEmpty(); round++) {
            for (Fiber fiber : alive) {
                Wait wait = fiber.waiting;
                if (wait != null && !wait.over) {
                    wake(wait, cancelled(wait));
                }
            }
            deadlines.clear();
            ready.addAll(yielded);
            yielded.clear();
            if (ready.isEmpty()) {
                break;
            }
            for (Fiber fiber; (fiber = ready.poll()) != null; ) {
                resume(fiber);
            }
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // Closed all the same.
            }
        }
        selector.close();
    }
}
