package org.multiplex.kit.grading;

/**
 * One graded item and its result.
 *
 * @param task         the task it grades, as {@code "1.2"}
 * @param points       what it is worth
 * @param testClass    the test class's fully qualified name
 * @param method       the test method's name
 * @param name         the name shown to people
 * @param outcome      what happened
 * @param message      why it failed, for the student; empty when it passed
 * @param milliseconds how long it ran
 */
public record Item(String task, int points, String testClass, String method, String name,
                   Outcome outcome, String message, long milliseconds) {

    /** Returns the points earned. */
    public int earned() {
        return outcome.earns() ? points : 0;
    }

    /** Returns the item with a new outcome. */
    public Item with(Outcome newOutcome, String newMessage, long newMilliseconds) {
        return new Item(task, points, testClass, method, name, newOutcome, newMessage, newMilliseconds);
    }

    /** Returns the lesson number, the part of the task before the dot. */
    public String lesson() {
        int dot = task.indexOf('.');
        return dot < 0 ? task : task.substring(0, dot);
    }
}
