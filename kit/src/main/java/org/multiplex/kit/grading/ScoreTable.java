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
 * <p>Run after the tests, by the build, with the results file as argument. Short of full marks,
 * it leaves a file {@code not-full-marks} beside the results, which the build then fails on.
 */
public final class ScoreTable {

    private static final int NAME_WIDTH = 66;

    private ScoreTable() {
    }

    /**
     * Prints the table of a results file.
     *
     * @param args the results file
     * @throws IOException if the file cannot be read, or the marker written
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Path marker = file.resolveSibling("not-full-marks");
        Files.deleteIfExists(marker);
        if (!Files.exists(file)) {
            System.out.println("No graded results at " + file + ": the tests did not run (see the build output above).");
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, "no results\n");
            return;
        }
        Results results = Results.read(file);
        print(results, System.out);
        if (!results.fullMarks()) {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, results.score() + "/" + results.maxScore() + "\n");
        }
    }

    /**
     * Prints the table.
     *
     * @param results what to print
     * @param out     where to print it
     */
    public static void print(Results results, PrintStream out) {
        String lessons = String.join(", ", results.items().stream().map(Item::lesson).distinct().toList());
        String rule = "-".repeat(NAME_WIDTH + 26);
        out.println();
        out.printf("Lesson %s, graded against %s%n", lessons, results.tree().isEmpty() ? "?" : results.tree());
        out.println(rule);
        out.printf("%-5s %-" + NAME_WIDTH + "s %-6s %s%n", "task", "test", "result", "points");
        out.println(rule);
        List<Item> byTask = results.items().stream().sorted(Comparator.comparing(Item::task, ScoreTable::compareTasks)).toList();
        for (Item item : byTask) {
            out.printf("%-5s %-" + NAME_WIDTH + "s %-6s %2d/%-2d%n", item.task(), fit(item.name()),
                    label(item.outcome()), item.earned(), item.points());
            if (!item.outcome().earns()) {
                for (String line : item.message().split("\n")) {
                    out.println("      " + line);
                }
            }
        }
        out.println(rule);
        long passed = results.items().stream().filter(i -> i.outcome().earns()).count();
        out.printf("%-5s %-" + NAME_WIDTH + "s %-6s %2d/%-2d%n", "total",
                passed + " of " + results.items().size() + " tests passed", "", results.score(), results.maxScore());
        out.println(results.fullMarks() ? "Full marks." : "Not yet full marks: read the first failure above, fix it, run again.");
        out.println();
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

    private static String fit(String name) {
        return name.length() <= NAME_WIDTH ? name : name.substring(0, NAME_WIDTH - 3) + "...";
    }
}
