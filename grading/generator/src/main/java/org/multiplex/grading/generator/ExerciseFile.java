package org.multiplex.grading.generator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;

/** Makes the exercise version of one file under {@code solutions/}. */
final class ExerciseFile {

    private ExerciseFile() {
    }

    /**
     * Returns the exercise version of a solution file.
     *
     * @param displayName  the file's name in messages, as {@code solutions/01-blocking/pom.xml}
     * @param relativePath its path under {@code solutions/}, with {@code /} between names
     * @param content      its bytes
     * @return the bytes to write under {@code exercises/}: stubs for a Java file's regions, the
     *         exercise names in a pom, any other file unchanged
     * @throws MarkerException if a Java file's markers are wrong
     */
    static byte[] of(String displayName, String relativePath, byte[] content) throws MarkerException {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        if (name.endsWith(".java")) {
            List<Line> lines = Line.split(Utf8.decode(displayName, content));
            List<Region> regions = RegionParser.parse(displayName, LessonFolder.of(relativePath), lines);
            // Without regions the original bytes are kept, not a re-encoding of them.
            return regions.isEmpty() ? content : JavaSkeleton.of(lines, regions).getBytes(UTF_8);
        }
        if (name.equals("pom.xml")) {
            return PomRewriter.rewrite(Utf8.decode(displayName, content)).getBytes(UTF_8);
        }
        return content;
    }
}
