package org.multiplex.grading.generator;

import java.io.Serial;
import java.util.List;

/** Thrown when solution files have bad markers: no skeleton may be written from them. */
final class MarkerException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /**
     * Makes the exception.
     *
     * @param problems every problem found, at least one
     */
    MarkerException(List<Problem> problems) {
        super(problems.size() + " marker problem(s), first: " + problems.getFirst());
        this.problems = List.copyOf(problems);
    }

    /** Returns every problem found, in file and line order. */
    List<Problem> problems() {
        return problems;
    }
}
