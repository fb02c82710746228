package org.multiplex.kit.load;

import java.time.Duration;

import org.HdrHistogram.Histogram;

/**
 * What one run of a {@link LoadGenerator} saw.
 *
 * <p>Latencies are in microseconds, from the moment a request was written to the moment its
 * answer was read. A request still unanswered when the run ended is counted in the histogram with
 * the time it had waited so far: a server that starves some clients shows it in the high
 * percentiles instead of hiding it by never answering.
 *
 * @param connections  connections the run drove
 * @param depth        requests each connection kept outstanding: 1 is a closed loop, more is
 *                     pipelining
 * @param window       how long the measured interval lasted
 * @param answers      correct answers read in the measured interval
 * @param wrongAnswers answers that were not the protocol's answer to their request; each closes its
 *                     connection
 * @param firstWrong   what the first wrong answer was, or the empty string
 * @param lost         connections the server closed or reset during the run
 * @param silent       connections that were still open and got no answer at all in the measured
 *                     interval
 * @param unanswered   requests still waiting for their answer when the interval ended
 * @param latencies    the latency histogram, in microseconds
 * @param cpu          the processor time the generator's own thread used in the measured
 *                     interval: near the whole interval means the generator, not the server,
 *                     set the pace
 */
public record LoadResult(int connections, int depth, Duration window, long answers, long wrongAnswers,
                         String firstWrong, int lost, int silent, long unanswered, Histogram latencies,
                         Duration cpu) {

    /** Returns the share of one core the generator used in the measured interval, from 0 to 1. */
    public double cpuShare() {
        return window.isZero() ? 0 : (double) cpu.toNanos() / window.toNanos();
    }

    /** Returns the correct answers per second of the measured interval. */
    public double throughput() {
        double seconds = window.toNanos() / 1e9;
        return seconds > 0 ? answers / seconds : 0;
    }

    /**
     * Returns a latency percentile, in microseconds.
     *
     * @param  percentile between 0 and 100, as 99.9
     * @return the latency below which that share of the recorded requests fell; 0 if none was
     *         recorded
     */
    public long latencyMicros(double percentile) {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(percentile);
    }

    /** Returns whether every connection was answered correctly and none was lost or silent. */
    public boolean clean() {
        return wrongAnswers == 0 && lost == 0 && silent == 0;
    }

    @Override
    public String toString() {
        return String.format("%d connections, depth %d: %.0f answers/s, p50 %d us, p99 %d us, max %d us;"
                        + " %d wrong, %d lost, %d silent, %d unanswered",
                connections, depth, throughput(), latencyMicros(50), latencyMicros(99), latencyMicros(100),
                wrongAnswers, lost, silent, unanswered);
    }
}
