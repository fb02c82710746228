package org.multiplex.grading.generator;

/** One difference between {@code exercises/} as it is and as the solutions make it. */
sealed interface Change {

    /** Returns the file's path under {@code exercises/}, with {@code /} between names. */
    String path();

    /**
     * A file to write: it is missing, or its content differs.
     *
     * @param path    the file's path under {@code exercises/}
     * @param content what it should hold
     */
    record Write(String path, byte[] content) implements Change {
    }

    /**
     * A file to delete: no solution file makes it any more.
     *
     * @param path the file's path under {@code exercises/}
     */
    record Delete(String path) implements Change {
    }
}
