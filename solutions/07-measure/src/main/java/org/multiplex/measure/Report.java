package org.multiplex.measure;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.multiplex.kit.load.LoadResult;

/**
 * The lab's results as a reader wants them: tables on the console and in AsciiDoc, the raw
 * figures in CSV, and charts.
 */
final class Report {

    /** A comparison the course sets itself a target for, at 1,000 connections; 0 for none. */
    private record Target(String subject, String other, double atLeast) {

        boolean hasTarget() {
            return atLeast > 0;
        }

        String verdict(double ratio) {
            return ratio >= atLeast ? "met" : "NOT met";
        }
    }

    static final int TARGET_CONNECTIONS = 1_000;
    private static final List<Target> TARGETS = List.of(
            new Target("dispatcher", "netty", 1.2), new Target("dispatcher", "virtual", 1.0),
            new Target("continuation", "netty", 1.2), new Target("continuation", "virtual", 1.0),
            // No target: what lesson 5's dispatcher costs against the least a continuation server can be.
            new Target("continuation", Contender.BARE.name(), 0));

    private final Lab.Sweep sweep;
    private final List<Contender> contenders;
    private final List<Integer> connections;
    private final Duration took;

    Report(Lab.Sweep sweep, List<Contender> contenders, List<Integer> connections, Duration took) {
        this.sweep = sweep;
        this.contenders = contenders;
        this.connections = connections;
        this.took = took;
    }

    /** The point of the sweep's tables. */
    private Optional<Point> point(String server, int n) {
        return sweep.sweepPoints().stream().filter(p -> p.server().equals(server) && p.connections() == n).findFirst();
    }

    /** The median round of a server measured side by side at the targets' point. */
    private Optional<Point> point(String server, int n, int depth) {
        return sweep.median(server, n, depth);
    }

    /** Returns the depths at which servers were measured side by side: the sweep's first. */
    private List<Integer> targetDepths() {
        return sweep.points.stream().filter(p -> p.round() > 0)
                .map(Point::depth).distinct().sorted((a, b) -> a == sweep.depth ? -1 : b == sweep.depth ? 1 : a - b)
                .toList();
    }

    private static String depthName(int depth) {
        return depth == 1 ? "closed loop" : "pipelined " + depth + " deep";
    }

    /**
     * Returns the ratio lines: what the course's targets ask and what this run measured, at each
     * depth measured there; then what lesson 5's dispatcher costs against the bare loop.
     */
    List<String> ratios() {
        List<String> lines = new ArrayList<>();
        for (int depth : targetDepths()) {
            for (Target t : TARGETS) {
                ratio(t.subject(), t.other(), depth).ifPresent(r -> lines.add(String.format(
                        "%s / %s at %,d connections, %s: %.2f x %s", t.subject(), t.other(), TARGET_CONNECTIONS,
                        depthName(depth), r, t.hasTarget()
                                ? String.format("(target: at least %.1f x) %s", t.atLeast(), t.verdict(r))
                                : "(lesson 5's dispatcher against a bare continuation loop)")));
            }
        }
        return lines;
    }

    /** Adds the targets to an AsciiDoc page: a row for each comparison, a column for each depth. */
    private void adocTargets(List<String> a) {
        List<Integer> depths = targetDepths();
        List<Target> present = TARGETS.stream()
                .filter(t -> depths.stream().anyMatch(d -> ratio(t.subject(), t.other(), d).isPresent())).toList();
        if (present.isEmpty()) {
            return;
        }
        a.add(String.format(".The course's targets at %,d connections: ratios of the median rounds' answers per second",
                TARGET_CONNECTIONS));
        a.add("// tag::targets[]");
        a.add("[cols=\"3,2" + ",2".repeat(depths.size()) + "\",options=\"header\"]");
        a.add("|===");
        StringBuilder head = new StringBuilder("| Ratio | Target");
        depths.forEach(d -> head.append(" | ").append(depthName(d)));
        a.add(head.toString());
        for (Target t : present) {
            StringBuilder row = new StringBuilder(String.format("| %s / %s | %s", t.subject(), t.other(),
                    t.hasTarget() ? String.format("at least %.1f x", t.atLeast()) : "none: the dispatcher's cost"));
            for (int d : depths) {
                row.append(" | ").append(ratio(t.subject(), t.other(), d)
                        .map(r -> String.format("%.2f x", r) + (t.hasTarget() ? ", " + t.verdict(r) : "")).orElse(""));
            }
            a.add(row.toString());
        }
        a.add("|===");
        a.add("// end::targets[]");
        a.add("");
    }

    private Optional<Double> ratio(String subject, String other, int depth) {
        Optional<Point> a = point(subject, TARGET_CONNECTIONS, depth);
        Optional<Point> b = point(other, TARGET_CONNECTIONS, depth);
        if (a.isPresent() && b.isPresent() && b.get().throughput() > 0) {
            return Optional.of(a.get().throughput() / b.get().throughput());
        }
        return Optional.empty();
    }

    private static final String[] SIDE_BY_SIDE_HEAD = {"Server", "Load", "Answers per second",
            "p99", "µs in the JVM", "µs in the kernel"};

    private String sideBySideTitle() {
        return String.format("At %,d connections, side by side: the median of %d rounds of %s s (lowest to highest);"
                + " the server's processor time per answer", TARGET_CONNECTIONS, Lab.Sweep.ROUNDS,
                BigDecimal.valueOf(sweep.round().toMillis(), 3).stripTrailingZeros().toPlainString());
    }

    /** The rows of the side-by-side table: each server at each depth it was compared at. */
    private List<String[]> sideBySide() {
        List<String[]> rows = new ArrayList<>();
        for (int depth : targetDepths()) {
            for (String server : Contender.COMPARED) {
                Optional<Point> median = point(server, TARGET_CONNECTIONS, depth);
                if (median.isEmpty()) {
                    continue;
                }
                List<Point> measured = sweep.measuredRounds(server, TARGET_CONNECTIONS, depth);
                String answers = median.get().cell() + (measured.size() < 2 ? "" : String.format(" (%,.0f to %,.0f)",
                        measured.get(0).throughput(), measured.get(measured.size() - 1).throughput()));
                double[] micros = median.get().microsPerAnswer();
                rows.add(new String[] {server, depthName(depth), answers,
                        median.get().measured() ? median.get().latencyCell() : "",
                        micros == null ? "" : String.format("%.2f", micros[0]),
                        micros == null ? "" : String.format("%.2f", micros[1])});
            }
        }
        return rows;
    }

    private String conditions() {
        return String.format("Measured %s on %d cores, %s %s, JDK %s; %,d clients came and went, then"
                        + " a warm-up of at least %.1f s, longer until the server's JIT was quiet, and %.1f s measured per point;"
                        + " depth %d (%s)%s; every server in a JVM of its own (%s); %s; the whole sweep took %d s.",
                LocalDate.now(ZoneOffset.UTC), sweep.processors, System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), sweep.warmClients, sweep.warmup.toMillis() / 1000.0,
                sweep.measure.toMillis() / 1000.0, sweep.depth, sweep.depth == 1 ? "closed loop" : "pipelined",
                targetDepths().size() > 1 ? String.format(", and at %,d connections %s too", TARGET_CONNECTIONS,
                        depthName(targetDepths().get(1))) : "",
                String.join(" ", ServerProcess.JVM_OPTIONS.subList(0, 4)),
                sweep.cores.map(Cores::toString).orElse("processes not pinned to cores"), took.toSeconds());
    }

    /** Prints the tables. */
    void print(PrintStream out) {
        out.println();
        out.println(conditions());
        table(out, "Answers per second", Point::cell);
        table(out, "Latency p99", Point::latencyCell);
        if (!sweep.memory.isEmpty()) {
            out.println();
            out.println("Memory per idle connection (KiB)");
            out.printf("%-12s %10s %10s %17s%n", "server", "served", "heap", "outside the heap");
            for (MemoryPoint m : sweep.memory) {
                out.printf("%-12s %,10d %10s %17s%n", m.server(), m.served(), MemoryPoint.kib(m.heapPerConnection()),
                        MemoryPoint.kib(m.residentPerConnection()));
            }
        }
        List<String[]> sideBySide = sideBySide();
        if (!sideBySide.isEmpty()) {
            out.println();
            out.println(sideBySideTitle());
            String row = "%-12s %-20s %32s %10s %14s %17s%n";
            // Standard output may not take a µ: the console says "us".
            out.printf(row, Arrays.stream(SIDE_BY_SIDE_HEAD).map(h -> h.replace("µs", "us")).toArray());
            sideBySide.forEach(r -> out.printf(row, (Object[]) r));
        }
        out.println();
        ratios().forEach(out::println);
    }

    private void table(PrintStream out, String title, Function<Point, String> cell) {
        out.println();
        out.println(title);
        StringBuilder head = new StringBuilder(String.format("%-12s", "server"));
        connections.forEach(n -> head.append(String.format(" %28s", String.format("%,d", n))));
        out.println(head);
        for (Contender c : contenders) {
            StringBuilder row = new StringBuilder(String.format("%-12s", c.name()));
            for (int n : connections) {
                row.append(String.format(" %28s", point(c.name(), n).map(cell).orElse("")));
            }
            out.println(row);
        }
    }

    /** Writes results.csv, memory.csv, results.adoc and the charts into a folder. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("results.csv"), csv(), StandardCharsets.UTF_8);
        Files.write(dir.resolve("memory.csv"), memoryCsv(), StandardCharsets.UTF_8);
        Files.write(dir.resolve("results.adoc"), adoc(), StandardCharsets.UTF_8);
        Charts.write(dir, sweep, contenders);
    }

    private List<String> csv() {
        List<String> lines = new ArrayList<>();
        lines.add("server,connections,connected,depth,round,window_ms,answers,answers_per_s,p50_us,p90_us,p99_us,p999_us,max_us,"
                + "wrong,lost,silent,unanswered,server_cpu,server_kernel_cpu,load_cpu,failure");
        for (Point p : sweep.points) {
            LoadResult r = p.result();
            if (r == null) {
                // The measurements empty, then why.
                lines.add(p.server() + "," + p.connections() + ",0," + p.depth() + "," + p.round() + ",".repeat(16)
                        + quote(p.failure()));
                continue;
            }
            lines.add(String.format("%s,%d,%d,%d,%d,%d,%d,%.0f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.2f,%.2f,%.2f,%s", p.server(),
                    p.connections(), p.connected(), r.depth(), p.round(), r.window().toMillis(), r.answers(), r.throughput(),
                    r.latencyMicros(50), r.latencyMicros(90), r.latencyMicros(99), r.latencyMicros(99.9),
                    r.latencyMicros(100), r.wrongAnswers(), r.lost(), r.silent(), r.unanswered(), p.serverShare(), p.kernelShare(),
                    r.cpuShare(), quote(r.firstWrong())));
        }
        return lines;
    }

    private List<String> memoryCsv() {
        List<String> lines = new ArrayList<>();
        lines.add("server,connections,served,heap_before,heap_after,rss_before,rss_after,heap_per_connection,rss_per_connection");
        for (MemoryPoint m : sweep.memory) {
            lines.add(String.format("%s,%d,%d,%d,%d,%d,%d,%.0f,%.0f", m.server(), m.connections(), m.served(),
                    m.before().heap(), m.after().heap(), m.before().resident(), m.after().resident(),
                    m.heapPerConnection(), m.residentPerConnection()));
        }
        return lines;
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private List<String> adoc() {
        List<String> a = new ArrayList<>();
        a.add("// Written by the benchmark lab (org.multiplex.measure.Lab): do not edit; run the lab again.");
        a.add(conditions());
        a.add("");
        adocTable(a, "Answers per second (more is better)", Point::cell);
        adocTable(a, "Latency, 99th percentile (less is better)", Point::latencyCell);
        if (!sweep.memory.isEmpty()) {
            a.add(String.format(".Memory per idle connection, KiB, with %,d connections", sweep.memoryAt));
            a.add("[cols=\"2,2,1,1\",options=\"header\"]");
            a.add("|===");
            a.add("| Server | Served | Heap | Outside the heap");
            for (MemoryPoint m : sweep.memory) {
                a.add(String.format("| %s | %,d of %,d | %s | %s", m.server(), m.served(), m.connections(),
                        MemoryPoint.kib(m.heapPerConnection()), MemoryPoint.kib(m.residentPerConnection())));
            }
            a.add("|===");
            a.add("");
        }
        List<String[]> sideBySide = sideBySide();
        if (!sideBySide.isEmpty()) {
            a.add("." + sideBySideTitle());
            a.add("// tag::side-by-side[]");
            a.add("[cols=\"2,2,3,1,1,1\",options=\"header\"]");
            a.add("|===");
            a.add("| " + String.join(" | ", SIDE_BY_SIDE_HEAD));
            sideBySide.forEach(r -> a.add("| " + String.join(" | ", r)));
            a.add("|===");
            a.add("// end::side-by-side[]");
            a.add("");
        }
        adocTargets(a);
        return a;
    }

    private void adocTable(List<String> a, String title, Function<Point, String> cell) {
        a.add("." + title);
        a.add("[cols=\"2" + ",2".repeat(connections.size()) + "\",options=\"header\"]");
        a.add("|===");
        StringBuilder head = new StringBuilder("| Server");
        connections.forEach(n -> head.append(String.format(" | %,d", n)));
        a.add(head.toString());
        for (Contender c : contenders) {
            StringBuilder row = new StringBuilder("| " + c.name());
            for (int n : connections) {
                row.append(" | ").append(point(c.name(), n).map(cell).orElse("").replace("|", "\\|"));
            }
            a.add(row.toString());
        }
        a.add("|===");
        a.add("");
    }
}
