package org.multiplex.kit.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class ScoreListenerTest {

    @Test
    void records_passes_failures_timeouts_and_stubs_with_their_points(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.json");
        System.setProperty(ScoreListener.RESULTS_PROPERTY, file.toString());
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(HarnessFixtures.Mixed.class))
                    .build());
        } finally {
            System.clearProperty(ScoreListener.RESULTS_PROPERTY);
        }

        Map<String, Item> items = byMethod(Results.read(file));
        assertThat(items.get("passes").outcome()).isEqualTo(Outcome.PASSED);
        assertThat(items.get("passes").earned()).isEqualTo(2);

        Item failed = items.get("fails_with_a_message");
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.earned()).isZero();
        assertThat(failed.message()).contains("answer to Beautiful is better than?", "Complex.", "Ugly.");

        Item timedOut = items.get("never_returns");
        assertThat(timedOut.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(timedOut.message()).contains("timed out");

        Item stub = items.get("reaches_a_stub_on_another_thread");
        assertThat(stub.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(stub.message()).startsWith("TODO(9.3): answer the request").contains("no answer came back");

        Results results = Results.read(file);
        assertThat(results.score()).isEqualTo(2);
        assertThat(results.maxScore()).isEqualTo(7);
    }

    @Test
    void counts_a_jvm_that_exits_mid_suite_as_failures_never_passes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-D" + ScoreListener.RESULTS_PROPERTY + "=" + file,
                GradeRunner.class.getName(), HarnessFixtures.Exits.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("the child's exit status, from System.exit(3)").isEqualTo(3);

        Map<String, Item> items = byMethod(Results.read(file));
        assertThat(items.get("passes").outcome()).isEqualTo(Outcome.PASSED);
        assertThat(items.get("exits_the_jvm").outcome()).isEqualTo(Outcome.NOT_FINISHED);
        assertThat(items.get("never_runs").outcome()).isEqualTo(Outcome.NOT_FINISHED);
        assertThat(Results.read(file).score()).isEqualTo(1);
    }

    @Test
    void a_graded_run_prints_the_table_and_one_line_and_fails_only_when_full_marks_are_required(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("grades/results.json");
        for (boolean required : new boolean[] {false, true}) {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Dcourse.root=" + dir,
                    GradedRun.class.getName(), file.toString(), HarnessFixtures.Exits.class.getName()));
            if (required) {
                command.add("--require-full-marks");
            }
            Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
            String screen = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(run.exitValue()).as("exit status, full marks %s", required ? "required" : "not required")
                    .isEqualTo(required ? 1 : 0);
            assertThat(screen).as("what the run printed").contains("passes", "CRASH", "1/")
                    .contains("Not yet full marks: read the first failure above, fix it, run again (output and stack"
                              + " traces: grades/tests.log).")
                    .doesNotContain("Exception", "[ERROR]");
            assertThat(Files.readString(dir.resolve("grades/tests.log"))).as("the tests' log")
                    .contains("the fixture prints this before it exits");
        }
    }

    @Test
    void prints_a_table_with_reasons_and_the_total() {
        Results results = new Results("exercises", java.util.List.of(
                new Item("1.10", 1, "C", "m3", "a later task", Outcome.PASSED, "", 1),
                new Item("1.2", 2, "C", "m1", "answers in order", Outcome.FAILED, "TODO(1.2): answer", 1),
                new Item("1.2", 3, "C", "m2", "survives a reset", Outcome.NOT_FINISHED, "did not finish", 1)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScoreTable.print(results, new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);

        assertThat(table).contains("graded against exercises", "TODO(1.2): answer", "CRASH", "1/6");
        assertThat(table.indexOf("answers in order")).as("task 1.2 is listed before task 1.10")
                .isLessThan(table.indexOf("a later task"));
    }

    private static Map<String, Item> byMethod(Results results) {
        return results.items().stream().collect(Collectors.toMap(Item::method, Function.identity()));
    }
}
