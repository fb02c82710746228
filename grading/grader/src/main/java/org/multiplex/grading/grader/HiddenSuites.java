package org.multiplex.grading.grader;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The hidden suites of one grading run: compiled once, outside every workspace, so that no
 * submission ever holds their sources; and the text of those sources, so that no feedback quotes
 * it.
 *
 * <p>A submission's code can still read the compiled classes through its class path, as it must
 * to run them: their string constants are what it could quote. So a message that holds a line of a
 * hidden test's source or one of its string constants is withheld from the student, and the
 * grader says so. Text that the public suite or the kit has as well is no secret and not looked for.
 */
final class HiddenSuites {

    /** Shorter lines and constants are too common to be a hidden test's own. */
    private static final int SHORTEST_LINE = 16;
    private static final int SHORTEST_CONSTANT = 8;
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    /** Says in a message's place why it is not shown. */
    static final String WITHHELD = "(message withheld by the grader: it quoted the text of a hidden test)";

    private final Map<String, Path> classes;
    private final Set<String> secrets;

    private HiddenSuites(Map<String, Path> classes, Set<String> secrets) {
        this.classes = classes;
        this.secrets = secrets;
    }

    /**
     * Compiles the hidden suites of some lessons against the course's own code (the exercises'
     * API, which the reference code shares, and the public suite's helpers) and the grader's
     * libraries.
     *
     * @param dir a folder outside every workspace, for one subfolder of classes per lesson
     */
    static HiddenSuites compile(Course course, List<String> lessons, Path dir) throws IOException {
        Map<String, Path> classes = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        for (String slug : lessons) {
            Path sources = course.hiddenSuite(slug).resolve("src/test/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            Path out = dir.resolve(slug);
            // Once per run: gradings that share a scratch folder share its classes.
            Path compiled = dir.resolve(slug + ".compiled");
            if (!Files.exists(compiled)) {
                String errors = javac(course, slug, sources, out);
                if (errors != null) {
                    throw new IOException(slug + "'s hidden suite does not compile against the course's code:\n" + errors);
                }
                Files.createFile(compiled);
            }
            classes.put(slug, out);
            secrets.addAll(secrets(sources, publicText(course, slug)));
        }
        return new HiddenSuites(classes, secrets);
    }

    /** Returns the folder of a lesson's compiled hidden tests, if it has any. */
    Optional<Path> classes(String slug) {
        return Optional.ofNullable(classes.get(slug));
    }

    /** Returns whether a text quotes a hidden test: one of its source lines or string constants. */
    boolean quoted(String text) {
        return secrets.stream().anyMatch(text::contains);
    }

    /** Returns the message, or {@link #WITHHELD} in its place when it quotes a hidden test. */
    String redact(String message) {
        return quoted(message) ? WITHHELD : message;
    }

    private static String javac(Course course, String slug, Path sources, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> sourcePath = new ArrayList<>();
        sourcePath.add(course.suite(slug).resolve("src/test/java").toString());
        for (String lesson : course.exerciseLessons()) {
            sourcePath.add(course.root().resolve("exercises").resolve(lesson).resolve("src/main/java").toString());
        }
        Files.createDirectories(out);
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            // -implicit:none: the public suite and the lessons are only read, never written out;
            // a workspace has its own, built from the submission.
            boolean ok = javac.getTask(errors, files, null,
                    List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"),
                            "-sourcepath", String.join(File.pathSeparator, sourcePath), "-implicit:none",
                            "-proc:none", "-nowarn", "-g", "-encoding", "UTF-8",
                            "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"),
                    null, files.getJavaFileObjectsFromPaths(javaFiles(sources))).call();
            return ok ? null : errors.toString().strip();
        }
    }

    /** Returns the lines and string constants of a hidden suite's sources that the public text lacks. */
    private static Set<String> secrets(Path sources, String publicText) throws IOException {
        Set<String> found = new LinkedHashSet<>();
        for (Path f : javaFiles(sources)) {
            String text = Files.readString(f);
            text.lines().map(String::strip).filter(l -> l.length() >= SHORTEST_LINE).forEach(found::add);
            Matcher m = STRING.matcher(text);
            while (m.find()) {
                String constant = m.group(1).translateEscapes();
                if (constant.length() >= SHORTEST_CONSTANT) {
                    found.add(constant);
                }
            }
        }
        found.removeIf(publicText::contains);
        return found;
    }

    /** Returns the sources of a lesson's public suite and of the kit, as one text. */
    private static String publicText(Course course, String slug) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path dir : List.of(course.suite(slug).resolve("src"), course.root().resolve("kit/src"))) {
            if (Files.isDirectory(dir)) {
                for (Path f : javaFiles(dir)) {
                    text.append(Files.readString(f)).append('\n');
                }
            }
        }
        return text.toString();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
