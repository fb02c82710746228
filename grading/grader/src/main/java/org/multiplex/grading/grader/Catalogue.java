package org.multiplex.grading.grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The graded tests of a lesson, read from the instructor's test sources (public and hidden), so
 * that a lesson that does not compile, or a child JVM that dies, still has its full list of items
 * and points.
 */
public final class Catalogue {

    private static final Pattern GRADED = Pattern.compile(
            "@Graded\\(\\s*task\\s*=\\s*\"([0-9.]+)\"\\s*(?:,\\s*points\\s*=\\s*(\\d+)\\s*)?\\)"
            + "(?:\\s*@\\w+(?:\\([^)]*\\))?)*\\s*(?:public\\s+)?void\\s+(\\w+)\\s*\\(");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

    private Catalogue() {
    }

    /** Returns every graded test of a lesson, public ones first, each group in source order. */
    public static List<GradedTest> of(Course course, String slug) throws IOException {
        List<GradedTest> tests = new ArrayList<>();
        tests.addAll(read(course.suite(slug).resolve("src/test/java"), slug, false));
        tests.addAll(read(course.hiddenSuite(slug).resolve("src/test/java"), slug, true));
        return tests;
    }

    private static List<GradedTest> read(Path sources, String slug, boolean hidden) throws IOException {
        List<GradedTest> tests = new ArrayList<>();
        if (!Files.isDirectory(sources)) {
            return tests;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher pkg = PACKAGE.matcher(text);
            String className = (pkg.find() ? pkg.group(1) + "." : "")
                    + file.getFileName().toString().replaceFirst("\\.java$", "");
            Matcher m = GRADED.matcher(text);
            while (m.find()) {
                int points = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                tests.add(new GradedTest(slug, m.group(1), points, className, m.group(3), hidden));
            }
        }
        return tests;
    }
}
