package org.multiplex.measure;

import org.multiplex.kit.load.LoadResult;

/**
 * One measurement: one server at one number of connections.
 *
 * @param server      the server's name
 * @param connections how many connections were asked for
 * @param connected   how many the server let in before the connect phase ended
 * @param result      what the measured interval saw; null if the server failed before it
 * @param failure     why there is no result, or the empty string
 * @param serverCpu   the share of one core the server used during warm-up and measurement; -1
 *                    if unknown (a server the lab did not start, or no /proc)
 */
record Point(String server, int connections, int connected, LoadResult result, String failure, double serverCpu) {

    /** Returns whether the point was measured at all. */
    boolean measured() {
        return result != null;
    }

    /** Returns answers per second, or 0 for a point that was not measured. */
    double throughput() {
        return measured() ? result.throughput() : 0;
    }

    /** Returns what went wrong at this point, in a few words, or the empty string. */
    String trouble() {
        if (!measured()) {
            return "failed: " + failure;
        }
        StringBuilder s = new StringBuilder();
        if (connected < connections) {
            note(s, String.format("%,d of %,d connected", connected, connections));
        }
        if (result.silent() > 0) {
            note(s, String.format("%,d of %,d starved", result.silent(), connected));
        }
        if (result.lost() > 0) {
            note(s, String.format("%,d lost", result.lost()));
        }
        if (result.wrongAnswers() > 0) {
            note(s, String.format("%,d WRONG: %s", result.wrongAnswers(), result.firstWrong()));
        }
        return s.toString();
    }

    private static void note(StringBuilder s, String what) {
        s.append(s.isEmpty() ? "" : ", ").append(what);
    }

    /** Returns the table cell for throughput: answers per second, and any trouble. */
    String cell() {
        if (!measured()) {
            return "failed";
        }
        String trouble = trouble();
        String rate = String.format("%,.0f", throughput());
        return trouble.isEmpty() ? rate : rate + " (" + trouble.replaceAll(": .*", "") + ")";
    }

    /** Returns the table cell for latency: the 99th percentile, and the longest wait if some starved. */
    String latencyCell() {
        if (!measured()) {
            return "failed";
        }
        String p99 = millis(result.latencyMicros(99));
        return result.silent() > 0 ? p99 + " (max " + millis(result.latencyMicros(100)) + ")" : p99;
    }

    /** Returns the line printed when the point is done. */
    String line() {
        if (!measured()) {
            return String.format("%-12s %,7d connections: %s", server, connections, trouble());
        }
        String trouble = trouble();
        return String.format("%-12s %,7d connections: %,10.0f answers/s  p50 %s  p99 %s  max %s  cpu: server %s, load %.0f%%%s",
                server, connections, throughput(), millis(result.latencyMicros(50)), millis(result.latencyMicros(99)),
                millis(result.latencyMicros(100)), serverCpu < 0 ? "?" : String.format("%.0f%%", 100 * serverCpu),
                100 * result.cpuShare(), trouble.isEmpty() ? "" : "  (" + trouble + ")");
    }

    /** Formats microseconds as milliseconds with a sensible number of digits. */
    static String millis(long micros) {
        double ms = micros / 1000.0;
        return ms < 10 ? String.format("%.2f ms", ms) : ms < 100 ? String.format("%.1f ms", ms) : String.format("%,.0f ms", ms);
    }
}
