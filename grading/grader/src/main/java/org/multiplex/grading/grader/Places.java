package org.multiplex.grading.grader;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

import org.multiplex.kit.Affinity;

/**
 * The places of the submissions graded at once, each with the cores its test JVMs run on.
 *
 * <p>On Linux, with at least as many cores as places, each place gets cores of its own
 * ({@code taskset}): a submission whose code spins, a select loop that never blocks or a handler
 * that never returns, then takes the processor time of its own place only, and the tests of the
 * submission beside it keep theirs. Unpinned, the spinning one would slow its neighbour's servers
 * down until their timing-sensitive tests failed: a lower grade for a student who did nothing wrong.
 * Elsewhere, with one place, or when told not to pin, every place runs on every core.
 */
final class Places {

    /** What a place runs: given what goes before a test JVM's command to keep it to the place's cores. */
    @FunctionalInterface
    interface Job<T> {
        T run(List<String> pin) throws Exception;
    }

    private final BlockingQueue<List<String>> free = new LinkedBlockingQueue<>();
    private final String cores;

    private Places(List<List<String>> places, String cores) {
        free.addAll(places);
        this.cores = cores;
    }

    /**
     * Makes the places for some submissions graded at once.
     *
     * @param atOnce how many are graded at once
     * @param pin    whether to give each place cores of its own, where that can be done
     */
    static Places of(int atOnce, boolean pin) {
        Optional<List<Integer>> cores = atOnce > 1 && pin
                ? Affinity.cores().filter(c -> c.size() >= atOnce) : Optional.empty();
        if (cores.isEmpty()) {
            return new Places(Collections.nCopies(Math.max(1, atOnce), List.of()), "");
        }
        List<List<Integer>> hands = Affinity.deal(cores.get(), atOnce);
        return new Places(hands.stream().map(Affinity::prefix).toList(),
                hands.stream().map(Affinity::list).collect(Collectors.joining(" | ")));
    }

    /** Runs a job in the first place that is free, waiting for one. */
    <T> T in(Job<T> job) throws Exception {
        List<String> pin = free.take();
        try {
            return job.run(pin);
        } finally {
            free.add(pin);
        }
    }

    /** Says how the places share the cores, for the grader's first line: empty if they all share them all. */
    @Override
    public String toString() {
        return cores.isEmpty() ? "" : ", each on cores of its own (" + cores + ")";
    }
}
