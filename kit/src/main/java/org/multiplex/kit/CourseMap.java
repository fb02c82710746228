package org.multiplex.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints the map of the course: every lesson, what it builds, and the commands that run its demo
 * and its graded tests.
 *
 * <pre>
 * mvn -q -pl kit compile exec:exec
 * </pre>
 */
public final class CourseMap {

    /**
     * One lesson of the course.
     *
     * @param number the lesson's number, as used in {@code -Dlesson=N} and in task numbers
     * @param slug   the folder name, as {@code 01-blocking}
     * @param title  what the lesson is called
     * @param builds what the student builds in it
     */
    public record Lesson(int number, String slug, String title, String builds) {
    }

    /** Every lesson of the course, in order. */
    public static final List<Lesson> LESSONS = List.of(
            new Lesson(1, "01-blocking", "Blocking servers",
                    "a single-threaded and a thread-per-connection Zen server; framing requests"),
            new Lesson(2, "02-select", "One thread, one selector",
                    "a select-loop Zen server and a chat server"),
            new Lesson(3, "03-poll", "Interest switching",
                    "a Zen server with per-connection buffers, partial writes and backpressure"),
            new Lesson(4, "04-dispatcher", "An asyncore-style dispatcher",
                    "a reusable event framework, an HTTP client, and a Twisted-style chat server"),
            new Lesson(5, "05-continuations", "Continuations",
                    "a dispatcher where blocking-style code runs multiplexed on one thread"),
            new Lesson(6, "06-ftp", "Capstone: an FTP server",
                    "a multiplexed FTP server on the continuation dispatcher"),
            new Lesson(7, "07-measure", "The benchmark lab",
                    "every server side by side, against virtual threads and Netty"));

    private CourseMap() {
    }

    /** Prints the map. */
    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("course.root", "."));
        System.out.println("Multiplex: how network servers serve many clients at once");
        System.out.println();
        for (Lesson lesson : LESSONS) {
            boolean ready = Files.isDirectory(root.resolve("grading").resolve(lesson.slug()))
                    || Files.isDirectory(root.resolve("exercises").resolve(lesson.slug()));
            System.out.printf("%d. %s%s%n", lesson.number(), lesson.title(), ready ? "" : "  (coming)");
            System.out.printf("   you build: %s%n", lesson.builds());
            if (ready) {
                Path text = root.resolve("lessons").resolve(lesson.slug()).resolve("index.adoc");
                System.out.printf("   read:      %s%n", Files.exists(text)
                        ? "lessons/" + lesson.slug() + "/index.adoc" : "(the lesson text is still being written)");
                System.out.printf("   your code: exercises/%s/%n", lesson.slug());
                System.out.printf("   demo:      mvn -q compile exec:exec -Dlesson=%d%n", lesson.number());
                if (Files.isDirectory(root.resolve("grading").resolve(lesson.slug()))) {
                    System.out.printf("   grade:     mvn -q test -Dlesson=%d%n", lesson.number());
                }
                if (Files.exists(text.resolveSibling("explore.jsh"))) {
                    System.out.printf("   explore:   mvn -q compile exec:exec@jshell -Dlesson=%d%n", lesson.number());
                }
            }
            System.out.println();
        }
        System.out.println("Add -Dtask=N.M to run the tests of one task only.");
        // A student's copy of the course comes without the reference code.
        if (Files.isDirectory(root.resolve("solutions"))) {
            System.out.println("Add -Dtree=solutions to run the reference code instead of yours.");
        }
    }
}
