package org.multiplex.kit.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a server has seen of its clients, counted as it goes; safe to read from any thread.
 *
 * <p>Tests read it to see what no client can: that a client which left in the middle of a request
 * was noticed as such, that every connection the server accepted it also closed, and which
 * threads did the work: every count is made on the thread that did what it counts.
 */
public final class ConnectionStats {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong leftMidRequest = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<Long, String> threads = new ConcurrentHashMap<>();
    /**
     * The thread seen last: a one-thread server counts every answer on the same thread, and the
     * map need not be asked each time. Read and written without a lock on purpose: a thread finds
     * itself here only if it put itself here, after it was put in the map; any other value costs
     * one more look in the map.
     */
    private Thread lastWitness;

    /** Counts a connection accepted. */
    public void accepted() {
        witness();
        accepted.incrementAndGet();
    }

    /** Counts a connection closed by the server, whatever the reason. */
    public void closed() {
        witness();
        closed.incrementAndGet();
    }

    /** Counts a request answered. */
    public void answered() {
        witness();
        answered.incrementAndGet();
    }

    /** Counts a client that closed its side with part of a request unanswered. */
    public void leftMidRequest() {
        witness();
        leftMidRequest.incrementAndGet();
    }

    /** Counts a connection that ended in an error: a reset, an oversized request. */
    public void failed() {
        witness();
        failed.incrementAndGet();
    }

    /** Returns how many connections were accepted. */
    public long acceptedCount() {
        return accepted.get();
    }

    /** Returns how many connections the server has closed. */
    public long closedCount() {
        return closed.get();
    }

    /** Returns how many connections are open now: accepted and not yet closed. */
    public long openCount() {
        return accepted.get() - closed.get();
    }

    /** Returns how many requests were answered. */
    public long answeredCount() {
        return answered.get();
    }

    /** Returns how many clients left in the middle of a request. */
    public long leftMidRequestCount() {
        return leftMidRequest.get();
    }

    /** Returns how many connections ended in an error. */
    public long failedCount() {
        return failed.get();
    }

    /**
     * Returns the threads that did the server's work, by id, with their names: the threads on
     * which anything was counted.
     */
    public Map<Long, String> threads() {
        return Map.copyOf(threads);
    }

    private void witness() {
        Thread t = Thread.currentThread();
        if (t != lastWitness) {
            threads.putIfAbsent(t.threadId(), t.getName());
            lastWitness = t;
        }
    }

    @Override
    public String toString() {
        return "accepted=" + accepted + " open=" + openCount() + " answered=" + answered
                + " leftMidRequest=" + leftMidRequest + " failed=" + failed;
    }
}
