package org.multiplex.grading.generator;

/**
 * A marked solution region of a Java file: the lines from its BEGIN marker to its END marker.
 *
 * @param begin  the index of the BEGIN line, counting from 0
 * @param end    the index of the END line, counting from 0
 * @param indent the white space before the BEGIN marker, which the stub keeps
 * @param task   the task number, as {@code "1.2"}
 * @param text   what the student should write, as one line
 */
record Region(int begin, int end, String indent, String task, String text) {
}
