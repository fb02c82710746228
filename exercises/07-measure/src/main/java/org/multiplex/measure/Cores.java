package org.multiplex.measure;

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

/**
 * Gives the server under test one core of its own and the lab the others, with Linux's
 * {@code taskset}, so that every server gets the same processor whatever threads it starts.
 * Without it, the scheduler runs a server's JIT and garbage collector on the load generator's core
 * too, and a server with more threads of its own borrows time that the others do not.
 *
 * @param server the core the servers run on
 * @param lab    the cores the lab's own threads run on, as taskset writes a list: {@code 0} or {@code 0-2}
 */
record Cores(int server, String lab) {

    private static final Pattern ALLOWED = Pattern.compile("(?m)^Cpus_allowed_list:\\s*(\\S+)$");

    /**
     * Returns the split of this process's cores, if it has at least two and taskset can pin
     * processes; empty on other systems, or with a single core.
     */
    static Optional<Cores> split() {
        List<Integer> cores;
        try {
            Matcher m = ALLOWED.matcher(Files.readString(Path.of("/proc/self/status"), StandardCharsets.US_ASCII));
            if (!m.find()) {
                return Optional.empty();
            }
            cores = parse(m.group(1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (cores.size() < 2 || !works(List.of("taskset", "-V"))) {
            return Optional.empty();
        }
        List<String> rest = cores.subList(0, cores.size() - 1).stream().map(String::valueOf).toList();
        return Optional.of(new Cores(cores.get(cores.size() - 1), String.join(",", rest)));
    }

    /** Parses a list of cores as Linux writes it, {@code 0-3,8,10-11}. */
    static List<Integer> parse(String list) {
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

    /** Pins every thread of the lab's process, and every thread it starts later, to the lab's cores. */
    void pinLab() throws IOException {
        List<String> command = List.of("taskset", "-a", "-p", "-c", lab, String.valueOf(ProcessHandle.current().pid()));
        if (!works(command)) {
            throw new IOException("could not pin the lab to cores " + lab + ": " + String.join(" ", command) + " failed");
        }
    }

    /** Returns what goes before a server's command so that it runs on its core. */
    List<String> serverPrefix() {
        return List.of("taskset", "-c", String.valueOf(server));
    }

    @Override
    public String toString() {
        return "server on core " + server + ", load generator on core" + (lab.contains(",") ? "s " : " ") + lab;
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
