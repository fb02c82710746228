package org.multiplex.measure;

/**
 * What a server's memory did when idle connections arrived: read once before any connection, and
 * again once every connection had asked one question and been answered.
 *
 * @param server      the server's name
 * @param connections how many connections were opened
 * @param served      how many of them got their answer: the connections the server really holds
 * @param before      heap and resident memory with no connection
 * @param after       the same with the connections idle
 */
record MemoryPoint(String server, int connections, int served, ServerProcess.Memory before, ServerProcess.Memory after) {

    /** Returns the heap each served connection costs, in bytes, or NaN when unknown. */
    double heapPerConnection() {
        return per(before.heap(), after.heap());
    }

    /**
     * Returns the resident memory each served connection costs, in bytes, or NaN when unknown.
     * The servers' heaps are resident in full from the start, so this is memory outside the heap.
     */
    double residentPerConnection() {
        return per(before.resident(), after.resident());
    }

    /**
     * Divides the growth by the connections served. A server that served fewer than half of them
     * (the blocking server serves one) has no cost per connection worth the name: its growth is
     * noise, and the answer is NaN.
     */
    private double per(long from, long to) {
        return 2L * served < connections || from < 0 || to < 0 ? Double.NaN : (double) (to - from) / served;
    }

    /** Formats bytes per connection as KiB, or n/a. */
    static String kib(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format("%.1f", bytes / 1024);
    }
}
