package org.multiplex.grading.grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Makes what students receive: the course without {@code solutions/}, hidden suites, pitfall catalogues or the
 * instructor's tools (grader, generator, exercise check), with poms that build without them, and
 * lesson texts without their includes of reference code, and a README for students only.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Writes the student distribution of the course into an empty or new folder.")
final class Release implements Callable<Integer> {

    /** What students never receive, relative to the course root. */
    static final List<String> LEFT_OUT = List.of("solutions", "grading/hidden", "grading/pitfalls", "grading/grader",
            "grading/generator", "grading/exercise-check", "grading/grade", ".ci");

    @Parameters(index = "0", paramLabel = "FOLDER", description = "where to write the release")
    String target;

    @Override
    public Integer call() throws IOException {
        Path to = Grader.path(target);
        write(Course.here(), to);
        System.out.println("Student release written to " + to);
        return 0;
    }

    /** Writes the release of a course into a folder. */
    static void write(Course course, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> entries = Files.list(to)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(to + " is not empty");
                }
            }
        }
        Path root = course.root();
        Workspace.copyTree(root, to);
        for (String left : LEFT_OUT) {
            Path p = to.resolve(left);
            if (Files.isDirectory(p)) {
                Workspace.deleteTree(p);
            } else {
                Files.deleteIfExists(p);
            }
        }
        rewrite(to.resolve("pom.xml"), Release::rootPomWithoutSolutions);
        rewrite(to.resolve("grading/pom.xml"), pom -> pom
                .replaceAll("\\s*<module>(generator|exercise-check|grader)</module>", ""));
        rewrite(to.resolve("README.adoc"), Release::studentReadme);
        for (String folder : List.of("lessons", "slides")) {
            Path dir = to.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> texts;
            try (Stream<Path> walk = Files.walk(dir)) {
                texts = walk.filter(p -> p.toString().endsWith(".adoc")).toList();
            }
            for (Path text : texts) {
                rewrite(text, Release::withoutReferenceCode);
            }
        }
    }

    /**
     * Returns a lesson text without its reference code: an attribute that names a folder of
     * {@code solutions/} (as {@code :src: ../../solutions/01-blocking/...}) is dropped, and every
     * {@code include::} through it, or straight into {@code solutions/}, becomes a line saying so.
     */
    static String withoutReferenceCode(String adoc) {
        java.util.regex.Matcher attributes = java.util.regex.Pattern.compile("(?m)^:([\\w-]+):[^\\n]*solutions/[^\\n]*$").matcher(adoc);
        List<String> names = new java.util.ArrayList<>();
        while (attributes.find()) {
            names.add(attributes.group(1));
        }
        StringBuilder out = new StringBuilder();
        for (String line : adoc.split("\n", -1)) {
            boolean attribute = names.stream().anyMatch(n -> line.startsWith(":" + n + ":"));
            boolean include = line.startsWith("include::")
                    && (line.contains("solutions/") || names.stream().anyMatch(n -> line.contains("{" + n + "}")));
            if (attribute) {
                continue;
            }
            out.append(include ? "(The reference code is not part of the student copy of the course.)" : line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** Returns the root pom of a course copy that has no {@code solutions/}: it builds without them. */
    static String rootPomWithoutSolutions(String pom) {
        return pom.replaceAll("\\s*<module>solutions</module>", "")
                .replace("<tree>solutions</tree>", "<tree>exercises</tree>");
    }

    /**
     * Returns the README as students receive it: without the instructors' and maintainers'
     * sections (but with how to render the lessons and decks, kept under a heading of its own),
     * and without what needs {@code solutions/} (the {@code -Dtree=solutions} commands, the
     * {@code solutions/} folder), none of which the release has.
     */
    static String studentReadme(String adoc) {
        StringBuilder out = new StringBuilder();
        boolean skipping = false;
        boolean rendering = false;
        for (String line : adoc.split("\n", -1)) {
            if (line.startsWith("== ")) {
                skipping = line.equals("== Instructors") || line.equals("== Maintainers");
            }
            if (skipping && line.startsWith("Lesson texts are in `lessons/`")) {
                rendering = true;
                out.append("== Lesson texts and slide decks\n\n");
            } else if (line.startsWith("=") && !line.startsWith("==== ")) {
                rendering = false;
            }
            if ((skipping && !rendering) || line.contains("-Dtree=solutions") || line.startsWith("| `solutions/")) {
                continue;
            }
            out.append(line.startsWith("| `exercises/NN-slug/` |")
                    ? "| `exercises/NN-slug/` | your code: each lesson's code, with stubs for you to fill in"
                    : line.replace("the graded suite of each lesson, its hidden suite and pitfall catalogue, the exercise generator,"
                            + " the exercise check and the grader",
                            "the graded suite of each lesson")).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static void rewrite(Path file, java.util.function.UnaryOperator<String> change) throws IOException {
        if (Files.exists(file)) {
            Files.writeString(file, change.apply(Files.readString(file)));
        }
    }
}
