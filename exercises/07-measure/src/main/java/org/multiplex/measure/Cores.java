package org.multiplex.measure;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.multiplex.kit.Affinity;

/**
 * Gives the server under test one core of its own and the lab the others, with Linux's
 * {@code taskset}, so that every server gets the same processor whatever threads it starts.
 * Without it, the scheduler runs a server's JIT and garbage collector on the load generator's core
 * too, and a server with more threads of its own borrows time that the others do not.
 *
 * @param server the core the servers run on
 * @param lab    the cores the lab's own threads run on
 */
record Cores(int server, List<Integer> lab) {

    /**
     * Returns the split of this process's cores, if it has at least two and taskset can pin
     * processes; empty on other systems, or with a single core.
     */
    static Optional<Cores> split() {
        return Affinity.cores().filter(cores -> cores.size() >= 2)
                .map(cores -> new Cores(cores.get(cores.size() - 1), List.copyOf(cores.subList(0, cores.size() - 1))));
    }

    /** Pins every thread of the lab's process, and every thread it starts later, to the lab's cores. */
    void pinLab() throws IOException {
        Affinity.pinThisProcess(lab);
    }

    /** Returns what goes before a server's command so that it runs on its core. */
    List<String> serverPrefix() {
        return Affinity.prefix(List.of(server));
    }

    @Override
    public String toString() {
        return "server on core " + server + ", load generator on core" + (lab.size() > 1 ? "s " : " ") + Affinity.list(lab);
    }
}
