package org.multiplex.grading.grader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A fresh copy of the course in which one submission is built: the instructor's pristine poms,
 * kit, exercises and suites (the hidden ones added to the public ones), with only the student's
 * lesson sources ({@code exercises/NN-slug/src/main/java}) put in. Tests, poms, the kit and any
 * results file a student edited or added never get in.
 */
final class Workspace {

    /** A student's source file larger than this is left out. */
    private static final long MAX_SOURCE_BYTES = 512 * 1024;

    private final Path dir;

    private Workspace(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /**
     * Makes a workspace for a submission.
     *
     * @param course    the instructor's course
     * @param exercises the submission's {@code exercises} folder (it may lack lessons)
     * @param dir       an empty folder for the workspace
     * @param lessons   the lessons to grade
     */
    static Workspace create(Course course, Path exercises, Path dir, List<String> lessons) throws IOException {
        Files.createDirectories(dir);
        Path root = course.root();
        Files.copy(root.resolve("pom.xml"), dir.resolve("pom.xml"));
        copyTree(root.resolve(".mvn"), dir.resolve(".mvn"));
        copyTree(root.resolve("kit"), dir.resolve("kit"));
        Files.createDirectories(dir.resolve("grading"));
        Files.copy(root.resolve("grading/pom.xml"), dir.resolve("grading/pom.xml"));
        Files.createDirectories(dir.resolve("exercises"));
        Files.copy(root.resolve("exercises/pom.xml"), dir.resolve("exercises/pom.xml"));
        for (String slug : lessons) {
            copyTree(course.suite(slug), dir.resolve("grading").resolve(slug));
            copyTree(course.hiddenSuite(slug).resolve("src"), dir.resolve("grading").resolve(slug).resolve("src"));
            Path lesson = dir.resolve("exercises").resolve(slug);
            copyTree(root.resolve("exercises").resolve(slug), lesson);
            Path studentSources = exercises.resolve(slug).resolve("src/main/java");
            if (Files.isDirectory(studentSources, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(lesson.resolve("src/main/java"));
                copyJavaSources(studentSources, lesson.resolve("src/main/java"));
            }
        }
        return new Workspace(dir);
    }

    /**
     * Builds one lesson on its own, as a student would: {@code mvn -o -q test-compile -Dlesson=N}.
     *
     * @return the build's output when it failed, or null when it succeeded
     */
    String build(String slug, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = dir.resolve("build-" + slug + ".log");
        Process mvn = new ProcessBuilder("mvn", "-o", "-q", "-B", "test-compile", "-Dlesson=" + Course.number(slug))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!mvn.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            ChildJvm.killTree(mvn);
            return "the build ran over " + timeoutSeconds + " s";
        }
        if (mvn.exitValue() == 0) {
            return null;
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        List<String> errors = output.lines().filter(l -> l.startsWith("[ERROR]") && l.contains(".java"))
                .map(l -> l.replace(dir.toString() + "/", "")).limit(10).toList();
        return errors.isEmpty() ? tail(output, 2000) : String.join("\n", errors);
    }

    /** Returns the class path of a lesson's child JVM: suite, lesson, kit, then the given libraries. */
    List<String> classPath(String slug, List<String> libraries) {
        List<String> entries = new ArrayList<>();
        entries.add(dir.resolve("grading").resolve(slug).resolve("target/test-classes").toString());
        entries.add(dir.resolve("exercises").resolve(slug).resolve("target/classes").toString());
        entries.add(dir.resolve("kit/target/classes").toString());
        entries.addAll(libraries);
        return entries;
    }

    private static String tail(String text, int chars) {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }

    /** Copies a folder's sources, without build output; does nothing if it does not exist. */
    static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                String name = d.getFileName().toString();
                if (!d.equals(from) && (name.equals("target") || name.equals(".git"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && !f.getFileName().toString().equals(".git")) {
                    Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Copies the student's .java files only: regular files, no links, none too large. */
    private static void copyJavaSources(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.getFileName().toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            if (Files.size(f) <= MAX_SOURCE_BYTES) {
                Path target = to.resolve(from.relativize(f).toString()).normalize();
                if (target.startsWith(to)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        }
        Files.createDirectories(to);
    }

    /** Deletes a folder and everything in it. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
