package org.multiplex.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.load.LoadResult;

/**
 * At the targets' point the lab measures servers side by side, in rounds, and reports each by
 * its median round: the tables, the ratios against the targets and the raw figures must all say
 * the same, from the same rounds.
 */
class SideBySideReportTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void the_targets_are_judged_on_the_median_rounds_at_each_depth(@TempDir Path dir) throws IOException {
        Lab.Sweep sweep = sweep(dir);
        // Closed loop: continuation's rounds 40k, 60k, 50k (median 50k); netty's 45k, 40k, 30k (median 40k).
        rounds(sweep, "continuation", 1, 40_000, 60_000, 50_000);
        rounds(sweep, "netty", 1, 45_000, 40_000, 30_000);
        // Pipelined: 300k against 200k, one round of netty failed and is left out of its median.
        rounds(sweep, "continuation", 10, 300_000, 290_000, 310_000);
        rounds(sweep, "netty", 10, 200_000, -1, 190_000);

        List<String> ratios = new Report(sweep, List.of(), List.of(1_000), SECOND).ratios();

        assertThat(ratios).contains(
                "continuation / netty at 1,000 connections, closed loop: 1.25 x (target: at least 1.2 x) met",
                "continuation / netty at 1,000 connections, pipelined 10 deep: 1.58 x (target: at least 1.2 x) met");
        assertThat(ratios).as("the sweep's depth comes first").first().asString().contains("closed loop");
    }

    @Test
    void the_sweep_table_shows_the_median_round_and_the_tables_give_the_spread_and_the_cost_per_answer(
            @TempDir Path dir) throws IOException {
        Lab.Sweep sweep = sweep(dir);
        rounds(sweep, "continuation", 1, 40_000, 60_000, 50_000);
        rounds(sweep, "netty", 1, 45_000, 40_000, 30_000);
        List<Contender> both = Contender.ALL.stream()
                .filter(c -> c.name().equals("continuation") || c.name().equals("netty")).toList();

        assertThat(sweep.sweepPoints()).extracting(Point::server, Point::throughput)
                .containsExactly(tuple("continuation", 50_000.0),
                        tuple("netty", 40_000.0));

        Path out = dir.resolve("results");
        new Report(sweep, both, List.of(1_000), SECOND).write(out);
        String adoc = Files.readString(out.resolve("results.adoc"), StandardCharsets.UTF_8);
        // The median round of continuation used 0.2 s in the JVM and 0.8 s in the kernel for 50,000 answers.
        assertThat(adoc).contains("| continuation | closed loop | 50,000 (40,000 to 60,000) |")
                .contains("| 4.00 | 16.00")
                .contains("| continuation | 50,000")
                .contains("| continuation / netty | at least 1.2 x | 1.25 x, met");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).as("every round in the raw figures, one row each").hasSize(1 + 6);
        assertThat(csv.get(0).split(",")).contains("round", "server_kernel_cpu");
        assertThat(csv).allSatisfy(line -> assertThat(line.split(",", -1)).hasSameSizeAs(csv.get(0).split(",", -1)));
    }

    private static Lab.Sweep sweep(Path dir) {
        return new Lab.Sweep(Duration.ZERO, SECOND, 1, 0, 0, 2, Optional.empty(), dir);
    }

    /** Records one round per rate for a server; a negative rate is a round that failed. */
    private static void rounds(Lab.Sweep sweep, String server, int depth, int... perSecond) {
        for (int i = 0; i < perSecond.length; i++) {
            int round = i + 1;
            if (perSecond[i] < 0) {
                sweep.points.add(new Point(server, 1_000, depth, round, 0, null, "refused", null));
                continue;
            }
            Histogram latencies = new Histogram(3);
            latencies.recordValue(1_000);
            LoadResult r = new LoadResult(1_000, depth, SECOND, perSecond[i], 0, "", 0, 0, 1_000, latencies, SECOND);
            // A fifth of the server's core in the JVM, four fifths in the kernel.
            sweep.points.add(new Point(server, 1_000, depth, round, 1_000, r, "", new ServerProcess.Cpu(200_000_000, 800_000_000)));
        }
    }
}
