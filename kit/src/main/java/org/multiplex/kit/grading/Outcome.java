package org.multiplex.kit.grading;

/** What happened to one graded item. */
public enum Outcome {
    /** The test passed. */
    PASSED,
    /** The test failed, timed out, or threw. */
    FAILED,
    /** The test was skipped or aborted; it earns nothing. */
    SKIPPED,
    /** The test started or was planned and never reported back: the JVM crashed or exited. */
    NOT_FINISHED;

    /** Returns whether the item earns its points. */
    public boolean earns() {
        return this == PASSED;
    }
}
