package org.multiplex.grading.check;

import java.util.List;

/**
 * One entry of a lesson's pitfall catalogue ({@code grading/pitfalls/NN-slug.yaml}): a bug, made
 * by a small change to the reference code, that the lesson's graded suite must catch in a named
 * task, with a message that names the cause.
 *
 * @param id          a short name, unique in its lesson, as {@code selected-keys-kept}
 * @param bug         what is wrong, in a sentence
 * @param warned      where the lesson text warns about it
 * @param task        the task whose tests must lose points, as {@code "2.2"}
 * @param change      the edits that make the bug, applied in order to a copy of the reference code
 * @param message     words that the failure message of one of the task's failing tests must all
 *                    contain (case does not matter)
 * @param uncatchable why no test can catch this bug; the entry is then listed, not run
 */
record Pitfall(String id, String bug, Warned warned, String task, List<Edit> change, List<String> message,
               String uncatchable) {

    /**
     * Where a text warns about the bug.
     *
     * @param in   a file of the course, as {@code lessons/02-select/index.adoc}
     * @param says words that the file contains (white space and case do not matter)
     */
    record Warned(String in, String says) {
    }

    /**
     * One edit of a source file.
     *
     * @param file    the file, relative to the lesson's {@code src/main/java}
     * @param replace the code to replace: it must occur exactly once in the file (white space
     *                between its words may differ)
     * @param with    what takes its place
     */
    record Edit(String file, String replace, String with) {
    }

    Pitfall {
        change = change == null ? List.of() : change;
        message = message == null ? List.of() : message;
    }
}
