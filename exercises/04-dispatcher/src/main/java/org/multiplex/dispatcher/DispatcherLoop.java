package org.multiplex.dispatcher;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The select loop of a set of dispatchers, and the map of their channels: asyncore's module-level
 * {@code loop()} and its {@code socket_map}.
 *
 * <p>Each pass of the loop asks every dispatcher what it waits for ({@link Dispatcher#readable()},
 * {@link Dispatcher#writable()}), waits in {@link Selector#select} until one of those happens, and
 * fires the events. A dispatcher joins the map when it gets a socket and leaves it when it closes;
 * {@link #loop()} returns once the map is empty, or when {@link #stop()} is called.
 *
 * <pre>{@code
 * DispatcherLoop loop = new DispatcherLoop();
 * new HttpClient(loop, URI.create("http://localhost:8000/"), Channels.newChannel(System.out));
 * loop.loop();                     // returns when the client has closed
 * }</pre>
 *
 * <p>Everything but {@link #stop()} runs on one thread: the one that calls {@code loop}.
 */
public final class DispatcherLoop implements Closeable {

    private static final System.Logger LOG = System.getLogger(DispatcherLoop.class.getName());

    private final Selector selector;
    /** asyncore's socket_map: every dispatcher with an open socket, by channel, in joining order. */
    private final Map<SelectableChannel, Dispatcher> map = new LinkedHashMap<>();
    /** The dispatchers of the current pass, reused so that a pass allocates nothing. */
    private final List<Dispatcher> pass = new ArrayList<>();
    private volatile boolean stopping;
    private volatile long passes;

    /**
     * Makes a loop with an empty map.
     *
     * @throws IOException if the selector cannot be opened
     */
    public DispatcherLoop() throws IOException {
        selector = Selector.open();
    }

    /**
     * Runs passes until the map is empty or {@link #stop()} is called, each waiting as long as it
     * takes.
     *
     * @throws IOException if the selector fails
     */
    public void loop() throws IOException {
        while (!stopping && !map.isEmpty()) {
            poll(null);
        }
    }

    /**
     * Runs at most {@code count} passes, each waiting at most {@code timeout}: asyncore's
     * {@code loop(timeout, count=count)}. Returns early when the map is empty or
     * {@link #stop()} was called.
     *
     * @param  timeout how long one pass may wait for an event; zero does not wait
     * @param  count   the most passes to run
     * @throws IOException if the selector fails
     */
    public void loop(Duration timeout, int count) throws IOException {
        for (int i = 0; i < count && !stopping && !map.isEmpty(); i++) {
            poll(timeout);
        }
    }

    /**
     * Runs one pass: asks every dispatcher what it waits for, waits until something of that
     * happens (or the timeout passes), and fires the events.
     *
     * @param  timeout how long to wait; null waits until an event or {@link #stop()}; zero does not
     *                 wait
     * @throws IOException if the selector fails
     */
    public void poll(Duration timeout) throws IOException {
        // TODO(4.1): set each open dispatcher's key to its interestOps() (a failure goes to fail()); select; dispatch() every selected key; empty the selected set
        throw new org.multiplex.kit.Todo("4.1", "set each open dispatcher's key to its interestOps() (a failure goes to fail()); select; dispatch() every selected key; empty the selected set");
    }

    /**
     * Fires the events of one ready key: the read event first, then the write event if the
     * dispatcher is still open. Whatever a handler throws goes to the dispatcher's
     * {@link Dispatcher#handleError}.
     */
    // tag::dispatch[]
    private void dispatch(Dispatcher d, SelectionKey key) {
        if (!key.isValid()) {
            return; // closed by an earlier handler of this pass: no event after close
        }
        int ready = key.readyOps();
        try {
            if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                d.handleReadEvent();
            }
            if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && !d.isClosed()) {
                d.handleWriteEvent();
            }
        } catch (IOException | RuntimeException e) {
            fail(d, e);
        }
    }
    // end::dispatch[]

    /** Hands an exception to the dispatcher that caused it, unless it is closed already. */
    private void fail(Dispatcher d, Exception e) {
        if (d.isClosed()) {
            LOG.log(System.Logger.Level.WARNING, "exception in " + d + " after it closed", e);
            return;
        }
        try {
            d.handleError(e);
        } catch (RuntimeException again) {
            again.addSuppressed(e);
            LOG.log(System.Logger.Level.ERROR, "handleError of " + d + " threw; closing it", again);
            d.close();
        }
    }

    private void select(Duration timeout) throws IOException {
        if (timeout == null) {
            selector.select();
        } else if (timeout.isZero()) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, timeout.toMillis()));
        }
        passes++;
    }

    /**
     * Makes {@link #loop()} return after the pass it is in, and every later call return at once.
     * Safe to call from any thread.
     */
    public void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Returns how many passes the loop has run: how many times it has waited in select. */
    public long passes() {
        return passes;
    }

    /** Returns how many dispatchers the map holds. */
    public int size() {
        return map.size();
    }

    /** Returns the dispatchers of the map, in the order they joined it. */
    public List<Dispatcher> dispatchers() {
        return List.copyOf(map.values());
    }

    SelectionKey add(Dispatcher d, SelectableChannel channel) throws ClosedChannelException {
        SelectionKey key = channel.register(selector, 0, d);
        Dispatcher previous = map.put(channel, d);
        assert previous == null;
        return key;
    }

    void remove(SelectableChannel channel) {
        map.remove(channel);
        SelectionKey key = channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
    }

    /**
     * Closes every dispatcher of the map (without events) and the selector. Call it on the loop's
     * thread, or once that thread has ended.
     */
    @Override
    public void close() throws IOException {
        for (Dispatcher d : dispatchers()) {
            d.close();
        }
        selector.close();
    }
}
