package org.multiplex.grading.generator;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lesson folder a file lies in, such as {@code 01-blocking}: the first folder of its path
 * under {@code solutions/}.
 *
 * @param name   the folder's name
 * @param number the lesson's number, 1 for {@code 01-blocking}
 */
record LessonFolder(String name, int number) {

    private static final Pattern NAME = Pattern.compile("(\\d{1,9})-.+");

    /**
     * Returns the lesson folder of a file.
     *
     * @param relativePath the file's path under {@code solutions/}, with {@code /} between names
     * @return its lesson folder, or empty for a file outside every lesson (such as the parent pom)
     */
    static Optional<LessonFolder> of(String relativePath) {
        int slash = relativePath.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String first = relativePath.substring(0, slash);
        Matcher m = NAME.matcher(first);
        return m.matches() ? Optional.of(new LessonFolder(first, Integer.parseInt(m.group(1)))) : Optional.empty();
    }
}
