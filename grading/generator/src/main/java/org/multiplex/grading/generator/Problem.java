package org.multiplex.grading.generator;

/**
 * One thing wrong with the markers of a solution file, and what to do about it.
 *
 * @param file    the file, as the author knows it: {@code solutions/01-blocking/src/.../X.java}
 * @param line    the line, counting from 1
 * @param message what is wrong and how to put it right
 */
record Problem(String file, int line, String message) {

    /** Returns the problem as compilers print theirs, so that editors can link to the line. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
