package org.multiplex.grading.grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hostile and broken submissions, each made from one small edit file: a copy of the reference
 * code or the skeleton, with lines added after an anchor line of one file.
 *
 * <pre>
 * # what it does
 * base: solutions | exercises
 * file: 01-blocking/src/main/java/.../ZenConversation.java
 * after: the anchor line, trimmed
 * add: 01-blocking/src/main/java/.../Extra.java   (optional: NAME.add.java is copied there)
 * the lines to add
 * </pre>
 *
 * A file NAME.results.json beside it is shipped as a forged results file, NAME.test.java as
 * the student's own edited copy of a public test, and NAME.add.java as a source file of the
 * student's own, at the path its {@code add:} line gives.
 */
final class Corpus {

    private Corpus() {
    }

    static List<Path> cases(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".edit")).sorted().toList();
        }
    }

    static String name(Path edit) {
        return edit.getFileName().toString().replaceFirst("\\.edit$", "");
    }

    /** Writes one case's submission, as a student's copy of the course, into a folder. */
    static void apply(Course course, Path edit, Path student) throws IOException {
        List<String> lines = Files.readAllLines(edit);
        String base = value(lines, "base:");
        String file = value(lines, "file:");
        String after = value(lines, "after:");
        int body = 1 + lines.indexOf(lines.stream().filter(l -> l.startsWith("after:")).findFirst().orElseThrow());
        while (body < lines.size() && lines.get(body).startsWith("add:")) {
            body++;
        }
        String added = String.join("\n", lines.subList(body, lines.size()));
        Workspace.copyTree(course.root().resolve(base), student.resolve("exercises"));
        Path target = student.resolve("exercises").resolve(file);
        String text = Files.readString(target);
        int at = text.indexOf(after);
        if (at < 0) {
            throw new IOException(edit + ": no line '" + after + "' in " + file);
        }
        int end = text.indexOf('\n', at) + 1;
        Files.writeString(target, text.substring(0, end) + added + "\n" + text.substring(end));
        Path dir = edit.getParent();
        Path extra = dir.resolve(name(edit) + ".add.java");
        if (Files.exists(extra)) {
            Path where = student.resolve("exercises").resolve(value(lines, "add:"));
            Files.createDirectories(where.getParent());
            Files.copy(extra, where);
        }
        Path forged = dir.resolve(name(edit) + ".results.json");
        if (Files.exists(forged)) {
            for (String where : List.of("grading/01-blocking/target/grades/results.json", "results.json")) {
                Files.createDirectories(student.resolve(where).getParent());
                Files.copy(forged, student.resolve(where));
            }
        }
        Path test = dir.resolve(name(edit) + ".test.java");
        if (Files.exists(test)) {
            Path suite = student.resolve("grading/01-blocking/src/test/java/org/multiplex/blocking");
            Files.createDirectories(suite);
            Files.copy(test, suite.resolve("ZenRequestReaderTest.java"));
            Files.createDirectories(student.resolve("exercises/01-blocking/src/test/java/org/multiplex/blocking"));
            Files.copy(test, student.resolve("exercises/01-blocking/src/test/java/org/multiplex/blocking/ZenRequestReaderTest.java"));
        }
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length()).strip())
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no " + key));
    }
}
