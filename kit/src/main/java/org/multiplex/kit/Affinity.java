package org.multiplex.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which cores this process may run on, and how to keep a process to some of them, with Linux's
 * {@code taskset}. The benchmark lab gives the server under test a core of its own; the grader
 * gives each submission it grades beside another cores of its own, so that one that spins cannot
 * take the processor time of its neighbour's tests.
 */
public final class Affinity {

    private static final Pattern ALLOWED = Pattern.compile("(?m)^Cpus_allowed_list:\\s*(\\S+)$");

    private Affinity() {
    }

    /**
     * Returns the cores this process may run on, if Linux says which (in {@code /proc/self/status})
     * and {@code taskset} can keep a process to some of them; empty on other systems.
     */
    public static Optional<List<Integer>> cores() {
        try {
            Matcher m = ALLOWED.matcher(Files.readString(Path.of("/proc/self/status"), StandardCharsets.US_ASCII));
            if (!m.find() || !works(List.of("taskset", "-V"))) {
                return Optional.empty();
            }
            return Optional.of(parse(m.group(1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses a list of cores as Linux writes it, {@code 0-3,8,10-11}. */
    public static List<Integer> parse(String list) {
        List<Integer> cores = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] ends = part.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length == 1 ? from : Integer.parseInt(ends[1]);
            for (int c = from; c <= to; c++) {
                cores.add(c);
            }
        }
        return cores;
    }

    /** Writes a list of cores as {@code taskset -c} reads it: {@code 0,2,4}. */
    public static String list(List<Integer> cores) {
        return cores.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * Deals cores out to some jobs, as a dealer deals cards: the first core to the first job, the
     * second to the second, and round again. Every job gets at least one core if there are as many
     * cores as jobs.
     */
    public static List<List<Integer>> deal(List<Integer> cores, int jobs) {
        List<List<Integer>> hands = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            hands.add(new ArrayList<>());
        }
        for (int i = 0; i < cores.size(); i++) {
            hands.get(i % jobs).add(cores.get(i));
        }
        return hands;
    }

    /** Returns what goes before a command so that the process it starts, and every thread of it, runs on these cores. */
    public static List<String> prefix(List<Integer> cores) {
        return List.of("taskset", "-c", list(cores));
    }

    /** Keeps every thread of this process, and every thread it starts later, to these cores. */
    public static void pinThisProcess(List<Integer> cores) throws IOException {
        List<String> command = List.of("taskset", "-a", "-p", "-c", list(cores), String.valueOf(ProcessHandle.current().pid()));
        if (!works(command)) {
            throw new IOException("could not pin this process to cores " + list(cores) + ": " + String.join(" ", command) + " failed");
        }
    }

    private static boolean works(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
