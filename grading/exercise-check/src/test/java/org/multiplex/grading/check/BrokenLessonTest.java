package org.multiplex.grading.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A student with a half-written lesson that does not compile must still be able to build and
 * test any other lesson. This copies the course, breaks the code of every lesson but one (and
 * that lesson's reference code, and the lessons it builds on), and builds the one with
 * {@code -Dlesson=N}, as a student would.
 */
class BrokenLessonTest {

    static Stream<String> lessons() {
        return Lessons.graded().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lessons")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void a_lesson_builds_while_every_other_lesson_fails_to_compile(String slug, @TempDir Path copy) throws Exception {
        copyCourse(copy);
        int broken = 0;
        for (String tree : List.of("exercises", "solutions")) {
            try (Stream<Path> lessons = Files.list(copy.resolve(tree))) {
                for (Path lesson : lessons.filter(Files::isDirectory).toList()) {
                    String name = lesson.getFileName().toString();
                    // A lesson builds with the student's own code of the lessons it builds on, too.
                    boolean theStudentsLesson = tree.equals("exercises")
                            && (name.equals(slug) || Lessons.buildsOn(slug).contains(name));
                    if (!theStudentsLesson) {
                        breakLesson(lesson);
                        broken++;
                    }
                }
            }
        }
        assertThat(broken).as("lesson modules broken in the copy").isPositive();

        String number = String.valueOf(Integer.parseInt(slug.substring(0, 2)));
        Process mvn = new ProcessBuilder("mvn", "-o", "-q", "-B", "test-compile", "-Dlesson=" + number)
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mvn.waitFor(150, TimeUnit.SECONDS)).as("mvn finished").isTrue();
        assertThat(mvn.exitValue())
                .as("exit status of 'mvn test-compile -Dlesson=%s' with every other lesson broken; output:%n%s", number, output)
                .isZero();
    }

    /** Adds a file that cannot compile to a lesson module. */
    private static void breakLesson(Path lesson) throws IOException {
        Path src = lesson.resolve("src/main/java/Broken.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "class Broken { this is not Java }\n");
    }

    private static boolean isBuildOutputOrGit(Path relative) {
        for (Path name : relative) {
            if (name.toString().equals("target") || name.toString().equals(".git")) {
                return true;
            }
        }
        return false;
    }

    /** Copies the course's sources, without build output, into a folder. */
    private static void copyCourse(Path copy) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(Lessons.ROOT)) {
            all.filter(Files::isRegularFile)
                    .filter(p -> !isBuildOutputOrGit(Lessons.ROOT.relativize(p)))
                    .forEach(files::add);
        }
        for (Path f : files) {
            Path to = copy.resolve(Lessons.ROOT.relativize(f).toString());
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
    }
}
