package org.multiplex.lessons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a lesson's demo, as {@code mvn exec:exec -Dlesson=N -Dtree=solutions} would, and keeps what
 * it printed, so that the output a lesson shows is the output of the code as it is today.
 *
 * <p>A lesson opts in by including {@code {demo-output}} instead of a file of its own. The demo
 * runs when {@code solutions/NN-slug} and the kit have been compiled (their {@code target/classes}
 * exist, as in {@code mvn verify}, which compiles them before it renders); otherwise, and in a student distribution, {@code {demo-output}} names the
 * recorded {@code lessons/NN-slug/demo-output.txt}, which is what a reader of the plain AsciiDoc
 * file sees too.
 */
final class DemoOutput {

    private static final Pattern MAIN_CLASS = Pattern.compile("<demo\\.mainClass>([\\w.]+)</demo\\.mainClass>");
    private static final long TIME_LIMIT_SECONDS = 60;

    private final Path root;
    private final Path outDir;
    private final List<String> problems;

    DemoOutput(Path root, Path outDir, List<String> problems) {
        this.root = root;
        this.outDir = outDir;
        this.problems = problems;
    }

    /** Returns the file that {@code {demo-output}} should name for the lesson {@code slug}. */
    Path forLesson(String slug) {
        Path recorded = root.resolve("lessons").resolve(slug).resolve("demo-output.txt");
        Path module = root.resolve("solutions").resolve(slug);
        Optional<String> mainClass = mainClass(module.resolve("pom.xml"));
        Path kit = root.resolve("kit/target/classes");
        if (!Files.isDirectory(module.resolve("target/classes")) || !Files.isDirectory(kit) || mainClass.isEmpty()) {
            return recorded;
        }
        Path fresh = outDir.resolve(slug).resolve("demo-output.txt");
        if (Files.exists(fresh)) {
            return fresh;
        }
        try {
            Files.createDirectories(fresh.getParent());
            long start = System.nanoTime();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                    "-Dcourse.root=" + root, "-Dcourse.tree=solutions",
                    "-cp", module.resolve("target/classes") + java.io.File.pathSeparator + kit,
                    mainClass.get()));
            Process demo = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectOutput(fresh.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!demo.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
                problems.add("the demo of " + slug + " (" + mainClass.get() + ") ran longer than " + TIME_LIMIT_SECONDS + " s");
                return recorded;
            }
            if (demo.exitValue() != 0) {
                problems.add("the demo of " + slug + " (" + mainClass.get() + ") exited with " + demo.exitValue());
                return recorded;
            }
            System.out.printf("  %-30s demo     %5.1f s%n", "solutions/" + slug, (System.nanoTime() - start) / 1e9);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
