package org.multiplex.grading.check;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.multiplex.kit.grading.Item;
import org.multiplex.kit.grading.Results;

/**
 * Puts one pitfall into a copy of its lesson's reference code, compiles it, and runs the lesson's
 * graded tests (public and hidden) against it in a child JVM, as a student's run would: only
 * the pitfall's task, or the whole suite.
 */
final class PitfallRun {

    /** A child JVM that runs longer than this is killed; its tests then count as not caught. */
    static final Duration CHILD_LIMIT = Duration.ofMinutes(4);

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private PitfallRun() {
    }

    /**
     * What running a suite against a pitfall showed.
     *
     * @param pitfall the pitfall, or null for the unchanged reference code
     * @param results the graded results, or null when the run could not be made
     * @param problem why it could not: the change did not apply, or the code did not compile
     * @param seconds how long the child JVM ran
     */
    record Outcome(String lesson, Pitfall pitfall, Results results, String problem, double seconds) {

        /** Returns the task's failing tests. */
        List<Item> failures() {
            return results == null ? List.of() : results.items().stream()
                    .filter(i -> i.task().equals(pitfall.task()) && !i.outcome().earns()).toList();
        }

        /** Returns the failing test of the task whose message has every expected word, if any. */
        Optional<Item> named() {
            return failures().stream().filter(i -> i.outcome() != org.multiplex.kit.grading.Outcome.NOT_FINISHED)
                    .filter(i -> hasWords(i.message(), pitfall.message())).findFirst();
        }

        /** Returns whether the task lost points and one of its messages names the cause. */
        boolean caught() {
            return problem == null && named().isPresent();
        }

        /** Returns a short word for the table. */
        String verdict() {
            if (pitfall.uncatchable() != null) {
                return "no test";
            }
            if (problem != null) {
                return "ERROR";
            }
            if (failures().isEmpty()) {
                return "MISSED";
            }
            return named().isPresent() ? "caught" : "WORDS";
        }

        /** Returns the message the table shows: the naming one, or the task's first failure's. */
        String message() {
            if (pitfall.uncatchable() != null) {
                return pitfall.uncatchable();
            }
            if (problem != null) {
                return problem;
            }
            return named().or(() -> failures().stream().findFirst()).map(Item::message)
                    .orElse("task " + pitfall.task() + " kept full marks");
        }
    }

    static boolean hasWords(String message, List<String> words) {
        String m = message.toLowerCase(Locale.ROOT);
        return words.stream().allMatch(w -> m.contains(w.toLowerCase(Locale.ROOT)));
    }

    /**
     * Compiles a lesson's hidden suite, if it has one, against the reference code.
     *
     * @return the folder of its classes, or empty when the lesson has no hidden tests
     */
    static Optional<Path> compileHidden(String slug, Path work) throws IOException {
        Path sources = Lessons.ROOT.resolve("grading/hidden").resolve(slug).resolve("src/test/java");
        if (!Files.isDirectory(sources)) {
            return Optional.empty();
        }
        Path out = work.resolve(slug).resolve("hidden-classes");
        String classPath = Lessons.classPath(slug, Lessons.ROOT.resolve("solutions").resolve(slug).resolve("target/classes"), List.of());
        String errors = compile(sources, out, classPath);
        if (errors != null) {
            throw new IllegalStateException(slug + "'s hidden suite does not compile against the reference code:\n" + errors);
        }
        return Optional.of(out);
    }

    /**
     * Runs a lesson's suite against a pitfall, or against the reference code when the pitfall is
     * null: then only its hidden suite, unless whole.
     *
     * @param whole  run every test of the suite, not only the pitfall's task's
     * @param hidden the hidden suite's classes, if any
     */
    static Outcome run(String slug, Pitfall pitfall, boolean whole, Optional<Path> hidden, Path work)
            throws IOException, InterruptedException {
        Path dir = work.resolve(slug).resolve(pitfall == null ? "reference" : pitfall.id());
        Path classes = Lessons.ROOT.resolve("solutions").resolve(slug).resolve("target/classes");
        if (pitfall != null) {
            Path sources = dir.resolve("src");
            classes = dir.resolve("classes");
            try {
                copyWithChange(Lessons.ROOT.resolve("solutions").resolve(slug).resolve("src/main/java"), sources, pitfall);
            } catch (IllegalStateException e) {
                return new Outcome(slug, pitfall, null, "the change does not apply: " + e.getMessage(), 0);
            }
            String errors = compile(sources, classes, Lessons.classPath(slug, classes, List.of()));
            if (errors != null) {
                return new Outcome(slug, pitfall, null, "the changed code does not compile: " + errors, 0);
            }
        }
        Path resultsFile = dir.resolve("results.json");
        Files.deleteIfExists(resultsFile);
        // The reference code's public suite has run in the build already: only its hidden suite
        // is new, unless the whole suite's time is wanted.
        boolean hiddenOnly = pitfall == null && !whole;
        List<Path> tests = new ArrayList<>();
        if (!hiddenOnly) {
            tests.add(Lessons.ROOT.resolve("grading").resolve(slug).resolve("target/test-classes"));
        }
        hidden.ifPresent(tests::add);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                // A task's run is short: the JIT's second tier costs more than it earns (as in the
                // grader). The whole suite runs as a student's does, to time it.
                "-XX:TieredStopAtLevel=" + (whole ? 4 : 1),
                "-Dmultiplex.results=" + resultsFile,
                "-Dcourse.tree=solutions",
                "-Dcourse.root=" + Lessons.ROOT,
                "-Dtask=" + (whole || pitfall == null ? "" : pitfall.task()),
                "-cp", Lessons.classPath(slug, classes, hidden.stream().toList()),
                "org.multiplex.kit.grading.GradeRunner"));
        tests.forEach(t -> command.add(t.toString()));
        Path log = dir.resolve("child.log");
        Files.createDirectories(dir);
        long start = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = start + CHILD_LIMIT.toNanos();
        // A pitfall is proven by the first failure of its task that names it: the task's later
        // tests need not run (the whole suite's run, which is timed, runs them all).
        boolean stopEarly = pitfall != null && !whole;
        while (!child.waitFor(200, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline || stopEarly && named(resultsFile, pitfall)) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly().waitFor();
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Files.exists(resultsFile)) {
            return new Outcome(slug, pitfall, null, "the suite wrote no results (see " + log + ")", seconds);
        }
        return new Outcome(slug, pitfall, Results.read(resultsFile), null, seconds);
    }

    /** Returns whether a results file, as far as it goes, already has a failure that names the pitfall. */
    private static boolean named(Path resultsFile, Pitfall pitfall) {
        if (!Files.exists(resultsFile)) {
            return false;
        }
        try {
            return new Outcome("", pitfall, Results.read(resultsFile), null, 0).caught();
        } catch (IOException e) {
            return false; // being written: the listener replaces it in one step, so only at the start
        }
    }

    private static void copyWithChange(Path from, Path to, Pitfall pitfall) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> walk = Files.walk(to)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        for (Pitfall.Edit edit : pitfall.change()) {
            Path file = to.resolve(edit.file()).normalize();
            if (!file.startsWith(to) || !Files.isRegularFile(file)) {
                throw new IllegalStateException("no file " + edit.file() + " in the lesson's src/main/java");
            }
            Files.writeString(file, PitfallCatalogue.apply(Files.readString(file), edit));
        }
    }

    /** Compiles every source under a folder; returns javac's errors, or null when it compiled. */
    static String compile(Path sources, Path out, String classPath) throws IOException {
        List<File> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        Files.createDirectories(out);
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager fm = JAVAC.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = JAVAC.getTask(errors, fm, null,
                    List.of("-d", out.toString(), "-cp", classPath, "-proc:none", "-nowarn", "-g", "-encoding", "UTF-8",
                            "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"),
                    null, fm.getJavaFileObjectsFromFiles(files)).call();
            return ok ? null : errors.toString().strip();
        }
    }
}
