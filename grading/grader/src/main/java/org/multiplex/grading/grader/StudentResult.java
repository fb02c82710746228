package org.multiplex.grading.grader;

import java.util.List;

/**
 * One submission's results.
 *
 * @param student the student's name: the submission folder's or repository's name
 * @param lessons one result per graded lesson
 * @param problem what went wrong with the submission as a whole (cannot be cloned, no exercises), or empty
 * @param seconds how long grading it took
 */
public record StudentResult(String student, List<LessonResult> lessons, String problem, double seconds) {

    /** Returns the points earned. */
    public int score() {
        return lessons.stream().mapToInt(LessonResult::score).sum();
    }

    /** Returns the points that could be earned. */
    public int maxScore() {
        return lessons.stream().mapToInt(LessonResult::maxScore).sum();
    }
}
