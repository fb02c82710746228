package org.multiplex.grading.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.grading.Item;

/**
 * Proves each lesson's pitfall catalogue ({@code grading/pitfalls/NN-slug.yaml}): every bug in it,
 * put into a copy of the reference code, must cost its task points, with a message that has the
 * catalogue's words; and the unchanged reference code must pass its hidden suite (its public suite
 * runs in the lesson's own module).
 *
 * <p>Prints one table, also written to {@code target/pitfalls/table.txt}. Each pitfall runs its
 * task's tests only, two at a time. System properties change that: {@code -Dpitfalls=02-select}
 * or {@code -Dpitfalls=02-select/selected-keys-kept} picks lessons or entries, and
 * {@code -Dpitfalls.whole=true} runs each lesson's whole suite (public and hidden) against every
 * pitfall and the reference code; its table then gives what a student with that bug waits for a
 * score table.
 */
class PitfallsAreCaughtTest {

    @TestFactory
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    Stream<DynamicNode> every_pitfall_costs_its_task_points_with_a_message_that_names_it() throws Exception {
        boolean whole = Boolean.getBoolean("pitfalls.whole");
        List<String> picked = Stream.of(System.getProperty("pitfalls", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        Path work = Path.of(System.getProperty("check.output", "target/exercise-check")).resolveSibling("pitfalls");
        PitfallCheck.Report report = PitfallCheck.run(picked, whole, work);
        System.out.println(report.table());

        List<DynamicNode> nodes = new ArrayList<>();
        for (String slug : Lessons.graded()) {
            if (picked.isEmpty() && !report.catalogues().containsKey(slug) && !report.unreadable().containsKey(slug)) {
                nodes.add(DynamicTest.dynamicTest(slug + " has a pitfall catalogue", () -> {
                    throw new AssertionError("no " + PitfallCatalogue.file(slug));
                }));
            }
        }
        report.unreadable().forEach((slug, why) -> nodes.add(DynamicTest.dynamicTest(slug + "'s catalogue reads", () -> {
            throw new AssertionError(why);
        })));
        report.references().forEach((slug, r) -> nodes.add(DynamicTest.dynamicTest(
                slug + ": the reference code gets full marks" + (whole ? "" : " in its hidden suite"), () -> {
                    assertThat(r.problem()).as("what stopped the run").isNull();
                    assertThat(r.results().items()).as("%s's tests against the reference code", slug)
                            .allMatch(i -> i.outcome().earns());
                })));
        for (PitfallCatalogue c : report.catalogues().values()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (PitfallRun.Outcome o : report.outcomes()) {
                Pitfall p = o.pitfall();
                if (!o.lesson().equals(c.lesson()) || p.uncatchable() != null) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(p.id() + " (task " + p.task() + ")", () -> {
                    assertThat(o.problem()).as("what stopped the run of pitfall %s", p.id()).isNull();
                    assertThat(o.failures()).as("task %s's failing tests with pitfall %s (%s): none means the suite "
                            + "misses this bug", p.task(), p.id(), p.bug()).isNotEmpty();
                    assertThat(o.failures().stream().map(Item::message))
                            .as("messages of task %s's failures with pitfall %s: one must contain all of %s",
                                    p.task(), p.id(), p.message())
                            .anyMatch(m -> PitfallRun.hasWords(m, p.message()));
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(c.lesson(), tests));
        }
        return nodes.stream();
    }
}
