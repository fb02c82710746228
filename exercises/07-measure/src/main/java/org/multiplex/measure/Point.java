package org.multiplex.measure;

import org.multiplex.kit.load.LoadResult;

/**
 * One measurement: one server at one number of connections.
 *
 * @param server      the server's name
 * @param connections how many connections were asked for
 * @param depth       how many requests each connection kept outstanding: 1 is a closed loop
 * @param round       0 for a point of the sweep; 1, 2, ... for the rounds of a side-by-side comparison
 * @param connected   how many the server let in before the connect phase ended
 * @param result      what the measured interval saw; null if the server failed before it
 * @param failure     why there is no result, or the empty string
 * @param serverCpu   the processor time the server used in the measured interval; null if unknown
 *                    (a server the lab did not start, or no /proc)
 */
record Point(String server, int connections, int depth, int round, int connected, LoadResult result, String failure,
             ServerProcess.Cpu serverCpu) {

    /** Returns the share of one core the server used in the measured interval, or -1 if unknown. */
    double serverShare() {
        return measured() && serverCpu != null ? (double) serverCpu.total() / result.window().toNanos() : -1;
    }

    /** Returns the share of one core the server spent in the kernel in the measured interval, or -1 if unknown. */
    double kernelShare() {
        return measured() && serverCpu != null ? (double) serverCpu.system() / result.window().toNanos() : -1;
    }

    /**
     * Returns the server's processor time per answer, in microseconds, in its own code and in the
     * kernel; null if unknown.
     */
    double[] microsPerAnswer() {
        if (!measured() || serverCpu == null || result.answers() == 0) {
            return null;
        }
        return new double[] {serverCpu.user() / 1000.0 / result.answers(), serverCpu.system() / 1000.0 / result.answers()};
    }

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
            return String.format("%-12s %,7d connections%s: %s", server, connections, deep(), trouble());
        }
        String trouble = trouble();
        return String.format("%-12s %,7d connections%s: %,10.0f answers/s  p50 %s  p99 %s  max %s  cpu: server %s, load %.0f%%%s",
                server, connections, deep(), throughput(), millis(result.latencyMicros(50)), millis(result.latencyMicros(99)),
                millis(result.latencyMicros(100)), serverCpu == null ? "?"
                        : String.format("%.0f%% (kernel %.0f%%)", 100 * serverShare(), 100 * kernelShare()),
                100 * result.cpuShare(), trouble.isEmpty() ? "" : "  (" + trouble + ")");
    }

    private String deep() {
        return (depth == 1 ? "" : String.format(", %d deep", depth)) + (round == 0 ? "" : ", round " + round);
    }

    /** Formats microseconds as milliseconds with a sensible number of digits. */
    static String millis(long micros) {
        double ms = micros / 1000.0;
        return ms < 10 ? String.format("%.2f ms", ms) : ms < 100 ? String.format("%.1f ms", ms) : String.format("%,.0f ms", ms);
    }
}
