package org.multiplex.grading.grader;

/**
 * What one graded test gave for one submission.
 *
 * @param test         the test
 * @param passed       whether it passed
 * @param message      why it failed, empty when it passed
 * @param milliseconds how long it ran
 */
public record TestResult(GradedTest test, boolean passed, String message, long milliseconds) {

    /** Returns the points earned. */
    public int earned() {
        return passed ? test.points() : 0;
    }
}
