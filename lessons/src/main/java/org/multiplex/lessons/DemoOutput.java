package org.multiplex.lessons;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the course's programs whose console output a lesson or deck shows, as a reader would run
 * them, and keeps what they printed, so that the output shown is the output of the code as it is today.
 *
 * <p>Two kinds of output, each with a recorded copy in the lesson's folder (what a reader of the
 * plain AsciiDoc file, and the student edition, sees):
 * <ul>
 * <li>{@code lessons/NN-slug/demo-output.txt}, the lesson's demo ({@code mvn exec:exec -Dlesson=N
 *     -Dtree=solutions}): the <demo.mainClass> of {@code solutions/NN-slug/pom.xml}. A document
 *     includes it as {@code {demo-output}}, which {@link Render} sets to the file to read.
 * <li>{@code lessons/NN-slug/NAME.txt} or {@code NAME-output.txt} next to a jshell script
 *     {@code NAME.jsh}: what the script prints, run as {@code mvn exec:exec@jshell} runs it, from the
 *     course root, with every compiled solution module and the kit on the class path. A document
 *     includes the recorded file as it is; {@link TranscriptInclude} reads the fresh one instead.
 * </ul>
 * The programs run when {@code solutions/NN-slug} and the kit have been compiled (their
 * {@code target/classes} exist, as in {@code mvn verify}, which compiles them before it renders);
 * otherwise the recorded copy is shown. A program that fails, prints an exception or a jshell
 * error, or runs past 60 s fails the build. Each runs once per build, one at a time, since some of
 * them measure time.
 */
final class DemoOutput {

    private static final Pattern MAIN_CLASS = Pattern.compile("<demo\\.mainClass>([\\w.]+)</demo\\.mainClass>");
    private static final Pattern JSHELL_FAILURE = Pattern.compile("(?m)^(Exception |Error:|Caused by: )");
    private static final Pattern NUMBERS = Pattern.compile("\\d+");
    private static final long TIME_LIMIT_SECONDS = 60;
    private static final String EXPORTS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";

    private final Path root;
    private final Path outDir;
    private final List<String> problems;
    private final Map<Path, Path> done = new HashMap<>();

    DemoOutput(Path root, Path outDir, List<String> problems) {
        this.root = root;
        this.outDir = outDir;
        this.problems = problems;
        try {
            // Only what this build ran counts: nothing left from an earlier one.
            if (Files.isDirectory(outDir)) {
                try (Stream<Path> files = Files.walk(outDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the file that {@code {demo-output}} should name for the lesson {@code slug}. */
    Path forLesson(String slug) {
        Path recorded = root.resolve("lessons").resolve(slug).resolve("demo-output.txt");
        Optional<String> mainClass = mainClass(root.resolve("solutions").resolve(slug).resolve("pom.xml"));
        if (!compiled(slug) || mainClass.isEmpty()) {
            return recorded;
        }
        return done.computeIfAbsent(recorded, r -> run(slug, recorded, "solutions/" + slug + " demo", List.of(
                java(), EXPORTS, "-Dcourse.root=" + root, "-Dcourse.tree=solutions",
                "-cp", classPath(), mainClass.get())));
    }

    /**
     * Returns the file to read for an include of {@code recorded}: the fresh output of its script
     * when {@code recorded} is a lesson's recorded script output and the script could run, else
     * {@code recorded} itself.
     */
    Path forTranscript(Path recorded) {
        Path file = recorded.toAbsolutePath().normalize();
        Path folder = file.getParent();
        if (folder == null || !root.resolve("lessons").equals(folder.getParent())) {
            return recorded;
        }
        String slug = folder.getFileName().toString();
        String stem = file.getFileName().toString().replaceFirst("\\.txt$", "");
        Optional<Path> script = Stream.of(stem + ".jsh", stem.replaceFirst("-output$", "") + ".jsh")
                .map(folder::resolve).filter(Files::isRegularFile).findFirst();
        if (!file.toString().endsWith(".txt") || script.isEmpty() || !compiled(slug)) {
            return recorded;
        }
        return done.computeIfAbsent(file, f -> {
            try {
                Path exit = Files.createDirectories(outDir).resolve("exit.jsh");
                Files.writeString(exit, "/exit\n");
                // A preferences folder of its own, made beforehand, so that jshell says nothing about it.
                Path prefs = outDir.resolve("prefs");
                Files.createDirectories(prefs.resolve(".userPrefs"));
                return run(slug, file, root.relativize(script.get()).toString(), List.of(
                        Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                        // jshell's own compiler with C1 only: it starts in half the time; the script's code runs as usual.
                        "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Djava.util.prefs.userRoot=" + prefs,
                        "-R" + EXPORTS, "-C" + EXPORTS,
                        "--class-path", classPath(), root.relativize(script.get()).toString(), exit.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private boolean compiled(String slug) {
        return Files.isDirectory(root.resolve("solutions").resolve(slug).resolve("target/classes"))
                && Files.isDirectory(root.resolve("kit/target/classes"));
    }

    /** The kit and every compiled solution module: a script of one lesson may use another's server. */
    private String classPath() {
        List<String> entries = new ArrayList<>(List.of(root.resolve("kit/target/classes").toString()));
        try (Stream<Path> modules = Files.list(root.resolve("solutions"))) {
            modules.map(m -> m.resolve("target/classes")).filter(Files::isDirectory).sorted()
                    .forEach(c -> entries.add(c.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs one program from the course root; returns the file with what it printed, or {@code recorded} if it failed. */
    private Path run(String slug, Path recorded, String what, List<String> command) {
        Path fresh = outDir.resolve(slug).resolve(recorded.getFileName());
        Path errors = outDir.resolve(slug).resolve(recorded.getFileName() + ".stderr");
        try {
            Files.createDirectories(fresh.getParent());
            long start = System.nanoTime();
            Process program = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(fresh.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!program.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                program.destroyForcibly().waitFor();
                problems.add(what + " ran longer than " + TIME_LIMIT_SECONDS + " s (for " + root.relativize(recorded) + ")");
                return recorded;
            }
            String stderr = Files.readString(errors);
            System.err.print(stderr);
            if (program.exitValue() != 0 || JSHELL_FAILURE.matcher(stderr).find()) {
                problems.add(what + " failed (exit " + program.exitValue() + ") producing the output for "
                        + root.relativize(recorded) + (stderr.isBlank() ? "" : ":\n" + stderr.strip().indent(4).stripTrailing()));
                return recorded;
            }
            System.out.printf("  %-30s run      %5.1f s%n", what, (System.nanoTime() - start) / 1e9);
            if (Files.exists(recorded) && !shape(Files.readString(fresh)).equals(shape(Files.readString(recorded)))) {
                System.out.printf("  note: %s, shown to students, no longer matches what %s printed beyond its numbers;%n"
                        + "        refresh it from %s%n", root.relativize(recorded), what, fresh);
            }
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A program's output with every number and the order of its lines left out: what should not drift. */
    private static List<String> shape(String output) {
        return output.lines().map(l -> NUMBERS.matcher(l).replaceAll("N").strip()).filter(l -> !l.isEmpty()).sorted().toList();
    }

    private static Optional<String> mainClass(Path pom) {
        try {
            if (!Files.exists(pom)) {
                return Optional.empty();
            }
            Matcher m = MAIN_CLASS.matcher(Files.readString(pom));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
