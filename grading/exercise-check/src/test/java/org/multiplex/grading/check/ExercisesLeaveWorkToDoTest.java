package org.multiplex.grading.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiplex.kit.grading.Item;
import org.multiplex.kit.grading.Outcome;
import org.multiplex.kit.grading.Results;

/**
 * Runs each lesson's graded suite against {@code exercises/}, in a child JVM as a grader would,
 * and checks that the skeleton is not a solution: every task that still has a stub loses points,
 * and says why with a stub's {@code TODO(n.m)} message.
 */
class ExercisesLeaveWorkToDoTest {

    private static final Duration SUITE_LIMIT = Duration.ofMinutes(5);

    static Stream<String> lessons() {
        return Lessons.graded().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lessons")
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void every_task_with_a_stub_fails_with_its_todo_message(String slug) throws Exception {
        Set<String> tasksWithWork = Lessons.tasksWithWork(slug);
        assertThat(tasksWithWork).as("tasks with a TODO stub in exercises/%s", slug).isNotEmpty();

        Results results = runSuite(slug, "exercises");
        Map<String, List<Item>> byTask = results.items().stream().collect(Collectors.groupingBy(Item::task));

        for (String task : tasksWithWork) {
            List<Item> items = byTask.getOrDefault(task, List.of());
            assertThat(items).as("graded tests of task %s, which has a stub in exercises/%s", task, slug).isNotEmpty();
            assertThat(items).as("task %s's tests against its stub: at least one must fail", task)
                    .anyMatch(i -> !i.outcome().earns());
            // Tasks build on each other: a test of task 2.3 may first reach task 2.2's stub, and
            // that message is the one to act on.
            assertThat(items.stream().filter(i -> !i.outcome().earns()).map(Item::message))
                    .as("messages of task %s's failing tests: at least one names a stub to fill in", task)
                    .anyMatch(m -> m.contains("TODO("));
        }
        assertThat(results.items()).as("items that did not finish (a crash or a timeout of the whole suite)")
                .noneMatch(i -> i.outcome() == Outcome.NOT_FINISHED);
    }

    /** Runs a suite in a child JVM and returns what it wrote. */
    static Results runSuite(String slug, String tree) throws IOException, InterruptedException {
        Path out = Path.of(System.getProperty("check.output", "target/exercise-check"));
        Files.createDirectories(out);
        Path results = out.resolve(slug + "-" + tree + ".json");
        Files.deleteIfExists(results);
        Path log = out.resolve(slug + "-" + tree + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java,
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                "-Dmultiplex.results=" + results,
                "-Dcourse.tree=" + tree,
                "-Dcourse.root=" + Lessons.ROOT,
                "-cp", Lessons.classPath(slug, tree),
                "org.multiplex.kit.grading.GradeRunner",
                Lessons.ROOT.resolve("grading").resolve(slug).resolve("target/test-classes").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!child.waitFor(SUITE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            throw new AssertionError(slug + "'s suite against " + tree + " ran over " + SUITE_LIMIT + "; see " + log);
        }
        assertThat(results).as("results of %s against %s (child log: %s)", slug, tree, log).exists();
        return Results.read(results);
    }
}
