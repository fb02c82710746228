package org.multiplex.grading.grader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the grader writes, all from results it collected itself: {@code grades.csv}, one
 * feedback page and one Gradescope {@code results.json} per student, and a table on the console.
 */
final class Reports {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    /** Writes grades.csv: one row per student, points per lesson and per task, and the total. */
    static void csv(List<StudentResult> students, Path file) throws IOException {
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Integer> max = new LinkedHashMap<>();
        for (StudentResult s : students) {
            for (LessonResult l : s.lessons()) {
                columns.add("lesson " + l.lesson());
                max.put("lesson " + l.lesson(), l.maxScore());
                for (TestResult r : l.results()) {
                    columns.add("task " + r.test().task());
                    max.merge("task " + r.test().task(), r.test().points(), Integer::sum);
                }
            }
        }
        // Per-task maxima were summed once per student; divide back.
        if (!students.isEmpty()) {
            for (String c : columns) {
                if (c.startsWith("task ")) {
                    max.put(c, max.get(c) / students.size());
                }
            }
        }
        StringBuilder out = new StringBuilder("student");
        List<String> ordered = new ArrayList<>(columns);
        ordered.sort((a, b) -> key(a).compareTo(key(b)));
        for (String c : ordered) {
            out.append(',').append(c).append(" (").append(max.get(c)).append(')');
        }
        out.append(",total (").append(students.isEmpty() ? 0 : students.get(0).maxScore()).append(")\n");
        for (StudentResult s : students) {
            Map<String, Integer> earned = new LinkedHashMap<>();
            for (LessonResult l : s.lessons()) {
                earned.put("lesson " + l.lesson(), l.score());
                for (TestResult r : l.results()) {
                    earned.merge("task " + r.test().task(), r.earned(), Integer::sum);
                }
            }
            out.append(csvField(s.student()));
            for (String c : ordered) {
                out.append(',').append(earned.getOrDefault(c, 0));
            }
            out.append(',').append(s.score()).append('\n');
        }
        Files.writeString(file, out);
    }

    private static String key(String column) {
        // "lesson 01-blocking" sorts before "task 1.1"; tasks in numeric order.
        if (column.startsWith("lesson ")) {
            return "0 " + column;
        }
        String[] parts = column.substring(5).split("\\.");
        return String.format(Locale.ROOT, "1 %03d %03d", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    private static String csvField(String text) {
        return text.matches("[\\w. -]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** Writes a student's feedback page: public tests with their messages, hidden ones by name and result only. */
    static void feedback(StudentResult s, Path file) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Feedback: ")
                .append(escape(s.student())).append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
                        + "td,th{padding:.2em .6em;text-align:left;vertical-align:top}.failed{color:#a00}.passed{color:#070}"
                        + "pre{white-space:pre-wrap;margin:0}</style></head><body>\n")
                .append("<h1>").append(escape(s.student())).append(": ").append(s.score()).append(" / ")
                .append(s.maxScore()).append("</h1>\n");
        if (!s.problem().isEmpty()) {
            html.append("<p class=\"failed\">").append(escape(s.problem())).append("</p>\n");
        }
        for (LessonResult l : s.lessons()) {
            html.append("<h2>Lesson ").append(escape(l.lesson())).append(": ").append(l.score()).append(" / ")
                    .append(l.maxScore()).append("</h2>\n");
            if (!l.problem().isEmpty() && l.problem().startsWith("the lesson does not compile")) {
                html.append("<pre class=\"failed\">").append(escape(l.problem())).append("</pre>\n");
            }
            html.append("<table><tr><th>task</th><th>test</th><th>result</th><th>points</th></tr>\n");
            for (TestResult r : l.results()) {
                html.append("<tr><td>").append(r.test().task()).append("</td><td>")
                        .append(r.test().hidden() ? "(hidden) " : "").append(escape(r.test().name()))
                        .append("</td><td class=\"").append(r.passed() ? "passed\">passed" : "failed\">failed");
                if (!r.passed() && !r.test().hidden()) {
                    html.append("<pre>").append(escape(r.message())).append("</pre>");
                }
                html.append("</td><td>").append(r.earned()).append(" / ").append(r.test().points()).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        html.append("</body></html>\n");
        Files.writeString(file, html);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Writes a Gradescope {@code results.json}: one test per graded test, hidden ones with their
     * name and pass/fail only.
     */
    static void gradescope(StudentResult s, Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("score", s.score());
        root.put("max_score", s.maxScore());
        root.put("execution_time", Math.round(s.seconds()));
        StringBuilder output = new StringBuilder();
        for (LessonResult l : s.lessons()) {
            output.append("Lesson ").append(l.lesson()).append(": ").append(l.score()).append(" / ").append(l.maxScore());
            if (!l.problem().isEmpty()) {
                output.append(" (").append(l.problem().lines().findFirst().orElse("")).append(')');
            }
            output.append('\n');
        }
        if (!s.problem().isEmpty()) {
            output.append(s.problem()).append('\n');
        }
        root.put("output", output.toString());
        root.put("visibility", "visible");
        root.put("stdout_visibility", "hidden");
        ArrayNode tests = root.putArray("tests");
        for (LessonResult l : s.lessons()) {
            for (TestResult r : l.results()) {
                ObjectNode t = tests.addObject();
                t.put("name", r.test().name());
                t.put("number", r.test().task());
                t.put("score", r.earned());
                t.put("max_score", r.test().points());
                t.put("status", r.passed() ? "passed" : "failed");
                t.put("output", r.passed() || r.test().hidden() ? "" : r.message());
                t.put("visibility", r.test().hidden() ? "after_published" : "visible");
                ArrayNode tags = t.putArray("tags");
                tags.add("lesson " + l.lesson());
                tags.add("task " + r.test().task());
                if (r.test().hidden()) {
                    tags.add("hidden");
                }
                t.put("execution_time", r.milliseconds() / 1000.0);
            }
        }
        JSON.writeValue(file.toFile(), root);
    }

    /** Prints the class's table: one row per student, points per lesson, total and time. */
    static void table(List<StudentResult> students, List<String> lessons, PrintStream out) {
        int width = Math.max(7, students.stream().mapToInt(s -> s.student().length()).max().orElse(7));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "student"));
        for (String l : lessons) {
            head.append(String.format(Locale.ROOT, " %13s", l.length() > 13 ? l.substring(0, 13) : l));
        }
        head.append(String.format(Locale.ROOT, " %9s %7s", "total", "time"));
        out.println(head);
        for (StudentResult s : students) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", s.student()));
            for (LessonResult l : s.lessons()) {
                String cell = l.score() + "/" + l.maxScore()
                        + (l.problem().startsWith("the lesson does not compile") ? " C" : l.problem().isEmpty() ? "" : " T");
                row.append(String.format(Locale.ROOT, " %13s", cell));
            }
            row.append(String.format(Locale.ROOT, " %9s %6.0fs", s.score() + "/" + s.maxScore(), s.seconds()));
            out.println(row);
        }
        out.println("(C: the lesson did not compile; T: a test class ran over its time limit)");
    }
}
