package org.multiplex.kit.grading;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Prints the score table of a graded run: lesson, task, result with the reason, points, total.
 *
 * <p>{@link GradedRun} prints it after the tests, with a last line that says whether it is full
 * marks.
 */
public final class ScoreTable {

    /** Names longer than this are cut; the table stays under 120 columns. */
    private static final int MAX_NAME_WIDTH = 96;

    private ScoreTable() {
    }

    /**
     * Prints the table of a results file, then one line: full marks, or not yet.
     *
     * @param  file the results file
     * @param  log  where the tests' output and stack traces are, as the student would type it
     * @return whether it is full marks
     * @throws IOException if the file cannot be read
     */
    static boolean print(Path file, String log) throws IOException {
        if (!Files.exists(file)) {
            System.out.println("No graded results: the tests did not run. What the test JVM printed is in " + log + ".");
            return false;
        }
        Results results = Results.read(file);
        print(results, System.out);
        System.out.println(results.fullMarks() ? "Full marks."
                : "Not yet full marks: read the first failure above, fix it, run again (output and stack traces: "
                  + log + ").");
        System.out.println();
        return results.fullMarks();
    }

    /**
     * Prints the table.
     *
     * @param results what to print
     * @param out     where to print it
     */
    public static void print(Results results, PrintStream out) {
        String lessons = String.join(", ", results.items().stream().map(Item::lesson).distinct().toList());
        int width = Math.max(40, Math.min(MAX_NAME_WIDTH,
                results.items().stream().mapToInt(i -> i.name().length()).max().orElse(0)));
        String rule = "-".repeat(width + 20);
        out.println();
        out.printf("Lesson %s, graded against %s%n", lessons, results.tree().isEmpty() ? "?" : results.tree());
        out.println(rule);
        out.printf("%-5s %-" + width + "s %-6s %s%n", "task", "test", "result", "points");
        out.println(rule);
        List<Item> byTask = results.items().stream().sorted(Comparator.comparing(Item::task, ScoreTable::compareTasks)).toList();
        for (Item item : byTask) {
            out.printf("%-5s %-" + width + "s %-6s %2d/%-2d%n", item.task(), fit(item.name(), width),
                    label(item.outcome()), item.earned(), item.points());
            if (!item.outcome().earns()) {
                for (String line : item.message().split("\n")) {
                    out.println("      " + line);
                }
            }
        }
        out.println(rule);
        long passed = results.items().stream().filter(i -> i.outcome().earns()).count();
        out.printf("%-5s %-" + width + "s %-6s %2d/%-2d%n", "total",
                passed + " of " + results.items().size() + " tests passed", "", results.score(), results.maxScore());
    }

    /** Orders task numbers as numbers: 1.2 before 1.10. */
    static int compareTasks(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static String label(Outcome outcome) {
        return switch (outcome) {
            case PASSED -> "pass";
            case FAILED -> "FAIL";
            case SKIPPED -> "skip";
            case NOT_FINISHED -> "CRASH";
        };
    }

    private static String fit(String name, int width) {
        return name.length() <= width ? name : name.substring(0, width - 3) + "...";
    }
}
