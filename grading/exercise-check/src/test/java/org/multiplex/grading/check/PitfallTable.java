package org.multiplex.grading.check;

import java.util.List;
import java.util.Map;

/** The pitfall check's table: one row a pitfall, with its task, verdict, time and message. */
final class PitfallTable {

    private static final int MESSAGE_WIDTH = 110;

    private PitfallTable() {
    }

    static String render(Map<String, PitfallCatalogue> catalogues, List<PitfallRun.Outcome> outcomes,
                         Map<String, PitfallRun.Outcome> references, boolean whole) {
        StringBuilder out = new StringBuilder();
        String rule = "-".repeat(48 + 7 + 9 + 8 + MESSAGE_WIDTH) + "\n";
        out.append("\nPitfall catalogue: each bug put into the reference code, ")
                .append(whole ? "each lesson's whole suite (public and hidden) run against it\n"
                        : "its task's tests (public and hidden) run against it\n");
        out.append(rule);
        out.append(String.format("%-48s %-6s %-8s %7s  %s%n", "lesson / pitfall", "task", "caught", "time", "message"));
        out.append(rule);
        int caught = 0;
        int run = 0;
        for (PitfallCatalogue c : catalogues.values()) {
            PitfallRun.Outcome reference = references.get(c.lesson());
            if (reference != null) {
                String verdict = reference.problem() != null ? "ERROR"
                        : reference.results().fullMarks() ? "full" : "NOT FULL";
                String detail = reference.problem() != null ? reference.problem()
                        : reference.results().score() + "/" + reference.results().maxScore() + " points"
                          + reference.results().items().stream().filter(i -> !i.outcome().earns()).findFirst()
                                  .map(i -> "; " + i.name() + ": " + i.message()).orElse("");
                out.append(row(c.lesson() + " (reference code)", whole ? "all" : "hidden", verdict, reference.seconds(), detail));
            }
            for (PitfallRun.Outcome o : outcomes) {
                if (!o.lesson().equals(c.lesson())) {
                    continue;
                }
                if (o.pitfall().uncatchable() == null) {
                    run++;
                    caught += o.caught() ? 1 : 0;
                }
                String score = whole && o.results() != null
                        ? " [" + o.results().score() + "/" + o.results().maxScore() + "]" : "";
                out.append(row(c.lesson() + "/" + o.pitfall().id(), o.pitfall().task(), o.verdict(), o.seconds(),
                        o.message() + score));
            }
        }
        out.append(rule);
        out.append(String.format("%d of %d pitfalls caught in their task with their words%n", caught, run));
        return out.toString();
    }

    private static String row(String name, String task, String verdict, double seconds, String message) {
        String oneLine = message.replaceAll("\\s*\\n\\s*", " | ").strip();
        if (oneLine.length() > MESSAGE_WIDTH) {
            oneLine = oneLine.substring(0, MESSAGE_WIDTH - 3) + "...";
        }
        return String.format("%-48s %-6s %-8s %6.1fs  %s%n", name, task, verdict, seconds, oneLine);
    }
}
