package org.multiplex.grading.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The grader's side of the report protocol: what it hears from a test JVM, and what it refuses. */
class ReportProtocolTest {

    private static final GradedTest A = new GradedTest("01-blocking", "1.1", 2, "org.multiplex.blocking.ATest", "a", false);
    private static final GradedTest B = new GradedTest("01-blocking", "1.1", 1, "org.multiplex.blocking.ATest", "b", true);

    private final Map<String, TestResult> results = new LinkedHashMap<>();
    private final ChildJvm.Report report = new ChildJvm.Report(Map.of(A.key(), A, B.key(), B), results);

    private static String finished(GradedTest t, String outcome, String message) {
        return "FINISHED " + t.key() + " " + outcome + " 12 "
                + Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hears_each_test_started_then_finished_and_the_end() {
        report.hear("STARTED " + A.key());
        report.hear(finished(A, "PASSED", ""));
        report.hear("STARTED " + B.key());
        report.hear(finished(B, "FAILED", "expected a request"));
        report.hear("DONE");

        assertThat(report.refused()).isNull();
        assertThat(report.done()).isTrue();
        assertThat(results.get(A.key()).passed()).isTrue();
        assertThat(results.get(B.key()).message()).isEqualTo("expected a request");
        assertThat(report.heard()).containsExactly(A.key(), B.key());
    }

    @Test
    void refuses_a_verdict_for_a_test_that_did_not_start() {
        report.hear(finished(A, "PASSED", ""));

        assertThat(report.refused()).contains("while no test ran");
        assertThat(results).isEmpty();
    }

    @Test
    void refuses_a_verdict_for_another_test_than_the_running_one() {
        report.hear("STARTED " + A.key());
        report.hear(finished(B, "PASSED", ""));

        assertThat(report.refused()).contains("while " + A.key() + " ran");
        assertThat(report.running()).isEqualTo(A.key());
    }

    @Test
    void refuses_a_second_verdict_for_a_test() {
        report.hear("STARTED " + A.key());
        report.hear(finished(A, "FAILED", "no"));
        report.hear(finished(A, "PASSED", ""));

        assertThat(report.refused()).isNotNull();
        assertThat(report.over()).isTrue();
    }

    @Test
    void refuses_a_test_run_twice_and_a_test_it_did_not_ask_for() {
        report.hear("STARTED " + A.key());
        report.hear(finished(A, "FAILED", "no"));
        report.hear("STARTED " + A.key());
        assertThat(report.refused()).isNotNull();

        ChildJvm.Report other = new ChildJvm.Report(Map.of(A.key(), A), new LinkedHashMap<>());
        other.hear("STARTED org.multiplex.blocking.ATest#notAsked");
        assertThat(other.refused()).contains("notAsked");
    }

    @Test
    void refuses_a_test_that_starts_while_another_runs_and_an_end_in_the_middle() {
        report.hear("STARTED " + A.key());
        report.hear("STARTED " + B.key());
        assertThat(report.refused()).isNotNull();

        ChildJvm.Report other = new ChildJvm.Report(Map.of(A.key(), A), new LinkedHashMap<>());
        other.hear("STARTED " + A.key());
        other.hear("DONE");
        assertThat(other.refused()).isNotNull();
        assertThat(other.done()).isFalse();
    }
}
