package org.multiplex.kit.grading;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a lesson's graded suite and prints its score table: what {@code mvn test -Dlesson=N}
 * does after compiling.
 *
 * <p>The tests run in a child JVM ({@link GradeRunner}) with this JVM's class path, so that a
 * submission that exits, halts or crashes still leaves a table behind: the results file says
 * which tests never finished. What the tests print, and the stack trace of each failure, go to
 * {@code tests.log} beside the results, not to the screen; the screen gets the table and one line
 * that says whether it is full marks.
 *
 * <p>Arguments: the results file, the folder of compiled test classes (or a test class), and
 * {@code --require-full-marks} to end with status 1 short of full marks (the maintainers' build);
 * without it the status is 0 whenever the table was printed, and the table's last line is the
 * verdict. The system properties {@code task}, {@code course.root} and {@code course.tree} are
 * handed to the child.
 */
public final class GradedRun {

    /** The whole suite may run this long before its JVM is killed; each test has its own limit. */
    private static final long SUITE_MINUTES = 20;

    private GradedRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path results = Path.of(args[0]);
        String tests = args[1];
        boolean requireFullMarks = List.of(args).contains("--require-full-marks");
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.deleteIfExists(results);
        Path log = results.resolveSibling("tests.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        for (String property : List.of("task", "course.root", "course.tree")) {
            command.add("-D" + property + "=" + System.getProperty(property, ""));
        }
        command.add("-D" + ScoreListener.RESULTS_PROPERTY + "=" + results.toAbsolutePath());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GradeRunner.class.getName());
        command.add(tests);
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        child.getOutputStream().close();
        if (!child.waitFor(SUITE_MINUTES, TimeUnit.MINUTES)) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly().waitFor();
        }
        boolean full = ScoreTable.print(results, relative(log));
        System.exit(full || !requireFullMarks ? 0 : 1);
    }

    /** Returns a path as the student would type it: from the course's root, where mvn runs. */
    private static String relative(Path file) {
        Path root = Path.of(System.getProperty("course.root", ".")).toAbsolutePath().normalize();
        Path absolute = file.toAbsolutePath().normalize();
        return (absolute.startsWith(root) ? root.relativize(absolute) : absolute).toString().replace(File.separatorChar, '/');
    }
}
