package org.multiplex.grading.grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The instructor's grader: {@code grade}, {@code release} and {@code autograder}. Run it with {@code grading/grade}. */
@Command(name = "grading/grade", mixinStandardHelpOptions = true,
        subcommands = {Grader.Grade.class, Release.class, AutograderBundle.class, SampleClass.class},
        description = "Grades submissions, makes the student release and the Gradescope autograder.")
public final class Grader {

    /** Resolves a path given on the command line against the folder the instructor ran it from. */
    static Path path(String given) {
        return Path.of(System.getProperty("grader.cwd", ".")).resolve(given).toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        // exec:exec hands the arguments over as one string.
        String[] split = args.length == 1 ? args[0].strip().split("\\s+") : args;
        if (split.length == 1 && split[0].isEmpty()) {
            split = new String[0];
        }
        System.exit(new CommandLine(new Grader()).execute(split));
    }

    @Command(name = "grade", mixinStandardHelpOptions = true,
            description = "Grades one submission (a course copy or its exercises/, a folder or a git repository) "
                    + "or a folder of submissions, one per subfolder.")
    static final class Grade implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "SUBMISSION|CLASS", description = "a submission, or a folder of them")
        String target;

        @Option(names = "--out", defaultValue = "grades", description = "where to write grades.csv, feedback and results (default: ${DEFAULT-VALUE})")
        String out;

        @Option(names = "--lessons", split = ",", description = "lessons to grade, as 1,2,3 (default: every lesson with a suite)")
        List<Integer> lessons;

        @Option(names = "--one", description = "grade the folder as one submission, whatever it holds")
        boolean one;

        @Option(names = "--jobs", description = "submissions graded at once (default: the number of cores)")
        int jobs = Runtime.getRuntime().availableProcessors();

        @Option(names = "--no-pin", description = "let submissions graded at once share every core, instead of giving"
                + " each cores of its own (Linux, with taskset)")
        boolean noPin;

        @Option(names = "--class-time", defaultValue = "120", description = "seconds the tests of one test class may run in all (default: ${DEFAULT-VALUE})")
        long classSeconds;

        @Option(names = "--test-time", defaultValue = "10", description = "seconds one test may run (default: ${DEFAULT-VALUE})")
        long testSeconds;

        @Option(names = "--heap", defaultValue = "256", description = "heap of a test JVM in MiB (default: ${DEFAULT-VALUE})")
        int heap;

        @Override
        public Integer call() throws Exception {
            List<StudentResult> results = run();
            return results.isEmpty() ? 1 : 0;
        }

        List<StudentResult> run() throws IOException, InterruptedException {
            Course course = Course.here();
            List<String> slugs = course.lessons().stream()
                    .filter(s -> lessons == null || lessons.contains(Course.number(s))).toList();
            Path given = path(target);
            List<Submission> submissions = Files.isDirectory(given) && !one && !Submission.isSubmission(given)
                    ? Submission.inClass(given) : List.of(Submission.of(Files.isDirectory(given) ? given.toString() : target));
            Path outDir = path(out);
            Files.createDirectories(outDir.resolve("feedback"));
            Files.createDirectories(outDir.resolve("gradescope"));
            Files.createDirectories(outDir.resolve("logs"));
            Path scratch = Files.createTempDirectory("multiplex-grading");
            Grading grading = new Grading(course, slugs,
                    new ChildJvm.Limits(Duration.ofSeconds(classSeconds), Duration.ofSeconds(testSeconds), heap), scratch, outDir);
            if (!grading.sandbox().contained()) {
                System.out.println(grading.sandbox().warning());
            }
            int atOnce = Math.max(1, Math.min(jobs, submissions.size()));
            Places places = Places.of(atOnce, !noPin);
            System.out.printf("Grading %d submission(s), lessons %s, %d at a time%s%n", submissions.size(), slugs, atOnce,
                    places);
            long start = System.nanoTime();
            List<StudentResult> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(atOnce)) {
                List<Future<StudentResult>> futures = new ArrayList<>();
                for (Submission s : submissions) {
                    futures.add(pool.submit(() -> places.in(pin -> {
                        StringBuilder log = new StringBuilder();
                        StudentResult r = grading.grade(s, log, pin);
                        Files.writeString(outDir.resolve("logs").resolve(s.student() + ".log"), log);
                        Reports.feedback(r, outDir.resolve("feedback").resolve(s.student() + ".html"));
                        Path gs = outDir.resolve("gradescope").resolve(s.student());
                        Files.createDirectories(gs);
                        Reports.gradescope(r, gs.resolve("results.json"));
                        System.out.printf("  %-24s %4d / %d  (%.0f s)%n", r.student(), r.score(), r.maxScore(), r.seconds());
                        return r;
                    })));
                }
                for (Future<StudentResult> f : futures) {
                    try {
                        results.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IOException("grading failed", e.getCause());
                    }
                }
            } finally {
                Workspace.deleteTree(scratch);
            }
            Reports.csv(results, outDir.resolve("grades.csv"));
            System.out.println();
            Reports.table(results, slugs, System.out);
            System.out.printf("%d submission(s) in %.0f s; grades.csv, feedback/, gradescope/ and logs/ in %s%n",
                    results.size(), (System.nanoTime() - start) / 1e9, outDir);
            return results;
        }
    }
}
