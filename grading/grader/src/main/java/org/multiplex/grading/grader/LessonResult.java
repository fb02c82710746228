package org.multiplex.grading.grader;

import java.util.List;

/**
 * One lesson's results for one submission.
 *
 * @param lesson  the lesson's slug
 * @param results one result per graded test of the lesson, none missing
 * @param problem what went wrong with the lesson as a whole (a compile error, a time limit), or empty
 * @param seconds how long building and running it took
 */
public record LessonResult(String lesson, List<TestResult> results, String problem, double seconds) {

    /** Returns the points earned. */
    public int score() {
        return results.stream().mapToInt(TestResult::earned).sum();
    }

    /** Returns the points that could be earned. */
    public int maxScore() {
        return results.stream().mapToInt(r -> r.test().points()).sum();
    }
}
