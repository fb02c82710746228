package org.multiplex.grading.generator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import picocli.CommandLine;

/** A course tree in a temporary folder: {@code solutions/} and {@code exercises/}, and a generator to run on them. */
final class Course {

    /** Where a lesson 1 Java file goes, under {@code solutions/} or {@code exercises/}. */
    static final String READER = "01-blocking/src/main/java/org/multiplex/blocking/Reader.java";

    /**
     * What one run of the generator did.
     *
     * @param status its exit status
     * @param out    what it printed on standard output
     * @param err    what it printed on standard error
     */
    record Run(int status, String out, String err) {
    }

    final Path root;
    final Path solutions;
    final Path exercises;

    Course(Path root) {
        this.root = root;
        this.solutions = root.resolve("solutions");
        this.exercises = root.resolve("exercises");
        try {
            Files.createDirectories(solutions);
            Files.createDirectories(exercises);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file under {@code solutions/}, in UTF-8. */
    Course solution(String path, String content) {
        return solution(path, content.getBytes(UTF_8));
    }

    /** Writes a file under {@code solutions/}. */
    Course solution(String path, byte[] content) {
        write(solutions.resolve(path), content);
        return this;
    }

    /** Writes a file under {@code exercises/}, in UTF-8. */
    Course exercise(String path, String content) {
        write(exercises.resolve(path), content.getBytes(UTF_8));
        return this;
    }

    /** Returns the text of a file under {@code exercises/}. */
    String exercise(String path) {
        return new String(exerciseBytes(path), UTF_8);
    }

    /** Returns the bytes of a file under {@code exercises/}. */
    byte[] exerciseBytes(String path) {
        try {
            return Files.readAllBytes(exercises.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the generator on this course, with any further options. */
    Run generate(String... options) {
        List<String> args = new ArrayList<>(List.of(
                "--solutions", solutions.toString(), "--exercises", exercises.toString()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new CommandLine(new ExerciseGenerator())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }

    /**
     * Returns everything under {@code exercises/}, {@code target/} folders included: each folder
     * and file by path, a file with its text. Two equal snapshots mean nothing was written.
     */
    Map<String, String> exercisesSnapshot() {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(exercises)) {
            for (Path p : paths.toList()) {
                String name = exercises.relativize(p).toString();
                snapshot.put(name, Files.isDirectory(p) ? "<folder>" : Files.readString(p, UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return snapshot;
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
