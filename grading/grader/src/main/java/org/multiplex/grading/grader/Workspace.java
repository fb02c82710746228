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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A fresh copy of the course in which one submission is built: the instructor's pristine poms,
 * kit, exercises and public suites, with only the student's lesson sources
 * ({@code exercises/NN-slug/src/main/java}) put in. Tests, poms, the kit and any results file a
 * student edited or added never get in; nor do the hidden suites' sources: their compiled classes
 * (see {@link HiddenSuites}) join the class path of the test JVMs only.
 */
final class Workspace {

    /** A student's source file larger than this is left out. */
    private static final long MAX_SOURCE_BYTES = 512 * 1024;

    /** Where a lesson's build writes its suite's class path, in the suite's folder. */
    private static final String CLASS_PATH_FILE = "target/grader-classpath.txt";

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
        }
        // Every lesson's code, not only the graded ones': a lesson may build on another (lesson 6
        // runs on lesson 5's dispatcher), and is graded on the student's copy of it, as it builds
        // for the student.
        for (String slug : course.exerciseLessons()) {
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
     * Builds one lesson on its own, as a student would: {@code mvn -o -q test-compile -Dlesson=N},
     * and writes the class path its suite runs with. The build runs in the sandbox too: it reads
     * the local Maven repository and writes this workspace only.
     *
     * @return the build's output when it failed, or null when it succeeded
     */
    String build(String slug, long timeoutSeconds, Sandbox sandbox) throws IOException, InterruptedException {
        Path log = dir.resolve("build-" + slug + ".log");
        List<String> command = sandbox.wrap(List.of("mvn", "-o", "-q", "-B", "test-compile", "dependency:build-classpath",
                "-Dlesson=" + Course.number(slug), "-Dmdep.outputFile=" + CLASS_PATH_FILE, "-Dmdep.includeScope=test"),
                dir, List.of(Sandbox.m2()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // In the sandbox the user is nobody, whose home is no home: Maven is told where ~/.m2 is.
        builder.environment().merge("MAVEN_OPTS", "-Duser.home=" + System.getProperty("user.home"), (a, b) -> a + " " + b);
        Process mvn = builder.start();
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

    /**
     * Returns the class path of a lesson's child JVM: the suite's compiled tests, public and
     * hidden, then everything of the instructor's (the kit, the suite's libraries, the given
     * libraries with the grader's own classes), and the student's compiled lessons last, so that a
     * class a student names like one of the kit's, a library's or the grader's is never the one
     * that runs.
     *
     * @param hidden the folder of the lesson's compiled hidden tests, if it has any
     */
    List<String> classPath(String slug, List<String> libraries, Optional<Path> hidden) throws IOException {
        Path exercises = dir.resolve("exercises");
        List<String> instructors = new ArrayList<>();
        List<String> students = new ArrayList<>();
        Path listed = dir.resolve("grading").resolve(slug).resolve(CLASS_PATH_FILE);
        List<String> suitePath = Files.exists(listed)
                ? List.of(Files.readString(listed).strip().split(java.io.File.pathSeparator))
                : List.of(dir.resolve("exercises").resolve(slug).resolve("target/classes").toString(),
                        dir.resolve("kit/target/classes").toString());
        for (String entry : suitePath) {
            if (entry.isBlank()) {
                continue;
            }
            (Path.of(entry).toAbsolutePath().normalize().startsWith(exercises) ? students : instructors).add(entry);
        }
        List<String> entries = new ArrayList<>();
        entries.add(dir.resolve("grading").resolve(slug).resolve("target/test-classes").toString());
        hidden.ifPresent(h -> entries.add(h.toString()));
        entries.addAll(instructors);
        entries.addAll(libraries);
        entries.addAll(students);
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
