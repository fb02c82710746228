package org.multiplex.grading.grader;

/**
 * One graded test of a suite, as the instructor's sources declare it; what a submission is
 * graded on, whatever it ships or its tests report.
 *
 * @param lesson    the lesson's slug, as {@code 01-blocking}
 * @param task      the task, as {@code "1.2"}
 * @param points    what it is worth
 * @param testClass the test class's fully qualified name
 * @param method    the test method's name
 * @param hidden    whether it comes from a hidden suite: students see only its name and result
 */
public record GradedTest(String lesson, String task, int points, String testClass, String method, boolean hidden) {

    /** Returns the key that the child JVM reports this test by: {@code class#method}. */
    public String key() {
        return testClass + "#" + method;
    }

    /** Returns the name shown to people: the method name as a sentence. */
    public String name() {
        return method.replace('_', ' ');
    }
}
