package org.multiplex.grading.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The instructor's copy of the course: the pristine kit, poms, exercises and suites, public and
 * hidden, that every submission is graded with.
 *
 * @param root the course's root folder, the one with the root pom.xml
 */
public record Course(Path root) {

    /** Returns the course that holds this grader, from the system property {@code course.root}. */
    public static Course here() {
        return new Course(Path.of(System.getProperty("course.root", "../..")).toAbsolutePath().normalize());
    }

    /** Returns the slugs of the lessons that have a graded suite, as {@code 01-blocking}, in order. */
    public List<String> lessons() {
        try (Stream<Path> dirs = Files.list(root.resolve("grading"))) {
            return dirs.filter(d -> Files.exists(d.resolve("graded-suite.txt")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the slugs of the lessons that have code in {@code exercises/}, in order. */
    public List<String> exerciseLessons() {
        try (Stream<Path> dirs = Files.list(root.resolve("exercises"))) {
            return dirs.filter(d -> Files.exists(d.resolve("pom.xml")) && d.getFileName().toString().matches("\\d\\d-.+"))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the lesson's number, 1 for {@code 01-blocking}. */
    public static int number(String slug) {
        return Integer.parseInt(slug.substring(0, 2));
    }

    /** Returns the public suite's folder of a lesson. */
    public Path suite(String slug) {
        return root.resolve("grading").resolve(slug);
    }

    /** Returns the hidden suite's folder of a lesson; it may not exist. */
    public Path hiddenSuite(String slug) {
        return root.resolve("grading").resolve("hidden").resolve(slug);
    }
}
