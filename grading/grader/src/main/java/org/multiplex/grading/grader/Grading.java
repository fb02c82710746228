package org.multiplex.grading.grader;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Grades submissions: each in a workspace of its own, each lesson built on its own and run in a
 * child JVM within its limits, both in the submission's sandbox (see {@link Sandbox}).
 */
final class Grading {

    private final Course course;
    private final List<String> lessons;
    private final ChildJvm.Limits limits;
    private final Path workspaces;
    private final Map<String, List<GradedTest>> catalogue = new LinkedHashMap<>();
    private final List<String> libraries;
    private final HiddenSuites hidden;
    private final Sandbox sandbox;

    /**
     * Prepares the grading of some lessons: reads their graded tests, compiles their hidden suites
     * and finds out how submissions are contained.
     *
     * @param course  the instructor's course
     * @param lessons the lessons to grade
     * @param limits  each lesson's limits
     * @param scratch a folder for workspaces and the compiled hidden suites, outside any submission
     * @param out     the folder the grades go to, which no submission may see
     */
    Grading(Course course, List<String> lessons, ChildJvm.Limits limits, Path scratch, Path out) throws IOException {
        this(course, lessons, limits, scratch, out, test -> true);
    }

    /**
     * Prepares the grading of some lessons' tests, only those that graded accepts (to try the
     * grader on a few).
     */
    Grading(Course course, List<String> lessons, ChildJvm.Limits limits, Path scratch, Path out,
            Predicate<GradedTest> graded) throws IOException {
        this.course = course;
        this.lessons = lessons;
        this.limits = limits;
        this.workspaces = scratch.resolve("workspaces");
        for (String slug : lessons) {
            catalogue.put(slug, Catalogue.of(course, slug).stream().filter(graded).toList());
        }
        this.libraries = libraries(course);
        this.hidden = HiddenSuites.compile(course, lessons, scratch.resolve("hidden-suites"));
        this.sandbox = Sandbox.detect(List.of(course.root(), scratch, out));
    }

    /** Returns how submissions are contained, with a warning when they are not. */
    Sandbox sandbox() {
        return sandbox;
    }

    /** Returns the graded tests of a lesson. */
    List<GradedTest> tests(String slug) {
        return catalogue.get(slug);
    }

    /**
     * Grades one submission, its test JVMs kept to some cores; never throws for what the
     * submission does.
     *
     * @param pin what goes before each test JVM's command (see {@link Places}); empty for none
     */
    StudentResult grade(Submission submission, StringBuilder log, List<String> pin) throws InterruptedException {
        long start = System.nanoTime();
        Path dir = workspaces.resolve(submission.student());
        List<LessonResult> results = new ArrayList<>();
        String problem = "";
        try {
            Workspace.deleteTree(dir);
            Path exercises = submission.exercises(dir.resolve("clone"));
            Workspace workspace = Workspace.create(course, exercises, dir.resolve("course"), lessons);
            for (String slug : lessons) {
                results.add(gradeLesson(workspace, slug, log, pin));
            }
        } catch (IOException e) {
            problem = e.getMessage();
            log.append("[grader] ").append(problem).append('\n');
        }
        if (results.size() < lessons.size()) {
            for (String slug : lessons.subList(results.size(), lessons.size())) {
                results.add(allFailed(slug, "not graded: " + problem, 0));
            }
        }
        return new StudentResult(submission.student(), results, problem, seconds(start));
    }

    private LessonResult gradeLesson(Workspace workspace, String slug, StringBuilder log, List<String> pin)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        log.append("\n[grader] lesson ").append(slug).append('\n');
        if (!sandbox.contained()) {
            log.append("[grader] ").append(sandbox.warning()).append('\n');
        }
        String buildError = workspace.build(slug, 300, sandbox);
        if (buildError != null) {
            log.append(buildError).append('\n');
            return allFailed(slug, hidden.redact("the lesson does not compile:\n" + buildError), seconds(start));
        }
        ChildJvm child = new ChildJvm(workspace.classPath(slug, libraries, hidden.classes(slug)), workspace.dir(),
                limits, pin, sandbox);
        List<TestResult> results = new ArrayList<>();
        for (TestResult r : child.run(tests(slug), log)) {
            // The student sees public tests' messages: never one that quotes a hidden test.
            if (!r.test().hidden() && hidden.quoted(r.message())) {
                log.append("[grader] withheld the message of ").append(r.test().key())
                        .append(": it quoted the text of a hidden test\n");
                r = new TestResult(r.test(), r.passed(), HiddenSuites.WITHHELD, r.milliseconds());
            }
            results.add(r);
        }
        boolean timedOut = results.stream().anyMatch(r -> r.message().startsWith("did not run: its test class's time")
                || r.message().startsWith("killed:"));
        return new LessonResult(slug, results, timedOut ? "a test class ran over its time limit" : "", seconds(start));
    }

    private LessonResult allFailed(String slug, String why, double seconds) {
        return new LessonResult(slug, tests(slug).stream().map(t -> new TestResult(t, false, why, 0)).toList(), why, seconds);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Returns the libraries of a child JVM: the jars of this grader's class path (JUnit, AssertJ,
     * the kit's libraries) and the grader's own classes, never the course's own modules.
     */
    private static List<String> libraries(Course course) {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (entry.isEmpty() || entry.contains("surefire") || !Files.exists(p)) {
                continue;
            }
            if (Files.isRegularFile(p) && !p.startsWith(course.root())) {
                entries.add(p.toString());
            }
        }
        try {
            entries.add(Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }
}
