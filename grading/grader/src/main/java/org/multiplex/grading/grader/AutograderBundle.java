package org.multiplex.grading.grader;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Makes a Gradescope autograder zip: {@code setup.sh} and {@code run_autograder} at its top, and
 * the instructor's course (without solutions) under {@code course/}, graded by this same grader,
 * which contains the submission with bubblewrap as it does on the instructor's machine.
 */
@Command(name = "autograder", mixinStandardHelpOptions = true,
        description = "Writes a Gradescope autograder zip (setup.sh, run_autograder, the course with hidden suites).")
final class AutograderBundle implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ZIP", description = "the zip to write")
    String target;

    @Option(names = "--lessons", defaultValue = "", description = "lessons to grade, as 1,2,3 (default: all)")
    String lessons;

    @Override
    public Integer call() throws IOException {
        Path zip = Grader.path(target);
        write(Course.here(), zip, lessons);
        System.out.println("Gradescope autograder written to " + zip);
        return 0;
    }

    static void write(Course course, Path zip, String lessons) throws IOException {
        Path root = course.root();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(p -> kept(root.relativize(p))).sorted().toList();
        }
        Files.createDirectories(zip.toAbsolutePath().getParent());
        try (OutputStream raw = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(raw)) {
            add(out, "setup.sh", setup(course));
            add(out, "run_autograder", run(lessons));
            for (Path f : files) {
                String name = "course/" + root.relativize(f).toString().replace('\\', '/');
                if (f.equals(root.resolve("pom.xml"))) {
                    // The course there has no solutions/: its root pom must build without them.
                    add(out, name, Release.rootPomWithoutSolutions(Files.readString(f)));
                    continue;
                }
                out.putNextEntry(new ZipEntry(name));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private static boolean kept(Path relative) {
        for (Path name : relative) {
            String n = name.toString();
            if (n.equals("target") || n.equals(".git")) {
                return false;
            }
        }
        return !relative.startsWith("solutions") && !relative.startsWith(".ci");
    }

    private static void add(ZipOutputStream out, String name, String text) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        out.putNextEntry(entry);
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static String setup(Course course) {
        StringBuilder warm = new StringBuilder();
        for (String slug : course.lessons()) {
            // The grader builds each lesson this way; dependency:build-classpath writes its suite's class path.
            warm.append("mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/grader-classpath.txt -Dlesson=")
                    .append(Course.number(slug)).append(" || true\n");
        }
        return """
                #!/usr/bin/env bash
                # Gradescope runs this once, as root, when the autograder is uploaded.
                # AUTOGRADER (default /autograder) is Gradescope's folder; another one tries it elsewhere.
                set -e
                root=${AUTOGRADER:-/autograder}
                if [ -z "$SKIP_INSTALL" ]; then
                  apt-get update
                  # bubblewrap: the grader runs the submission's build and tests in a sandbox of their own.
                  apt-get install -y --no-install-recommends openjdk-25-jdk-headless maven git bubblewrap
                fi
                # A zip keeps no file modes: the script Gradescope runs for each submission must be executable.
                chmod +x "$root/source/run_autograder"
                [ ! -f "$root/run_autograder" ] || chmod +x "$root/run_autograder"
                cd "$root/source/course"
                # Fetches every plugin and library once, so that grading runs offline: the grader's
                # (its --help as a first run), then each lesson's build.
                mvn -q -B -pl grading/grader -am compile exec:exec -Ddemo.skip=true -DskipTests -Dgrader.args=--help
                """ + warm;
    }

    private static String run(String lessons) {
        String lessonOption = lessons.isBlank() ? "" : " --lessons " + lessons;
        return """
                #!/usr/bin/env bash
                # Gradescope runs this for every submission; the results go to /autograder/results/results.json.
                # AUTOGRADER (default /autograder) is Gradescope's folder; another one tries it elsewhere.
                root=${AUTOGRADER:-/autograder}
                cd "$root/source/course" || exit 1
                mvn -q -B -o -pl grading/grader -am compile exec:exec -Ddemo.skip=true -DskipTests \\
                  -Dgrader.cwd="$root" \\
                  -Dgrader.args="grade submission --one --out grading --jobs 1%s"
                mkdir -p "$root/results"
                if [ -f "$root/grading/gradescope/submission/results.json" ]; then
                  cp "$root/grading/gradescope/submission/results.json" "$root/results/results.json"
                else
                  # Never an empty grade: say what went wrong.
                  printf '{"score": 0, "output": "The grader could not run, so this is no grade: please tell the course staff.", "visibility": "visible"}\\n' \\
                    > "$root/results/results.json"
                  exit 1
                fi
                """.formatted(lessonOption);
    }
}
