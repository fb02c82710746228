package org.multiplex.grading.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.multiplex.grading.generator.Course.READER;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every broken marker stops the whole run, says where and what to do, and writes nothing. */
class MarkerErrorsTest {

    private static final String AT_READER = "solutions/" + READER;

    @TempDir
    Path tmp;

    private Course course;
    private Map<String, String> before;

    private Course.Run generateFrom(String reader) {
        course = new Course(tmp)
                .solution("pom.xml", "<artifactId>solutions</artifactId>\n")
                .solution(READER, reader)
                .exercise(READER, "the committed exercise\n")
                .exercise("01-blocking/Stale.java", "class Stale {}\n");
        before = course.exercisesSnapshot();
        return course.generate();
    }

    private void assertNothingWritten(Course.Run run) {
        assertThat(run.status()).isEqualTo(ExerciseGenerator.FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("nothing was written");
        assertThat(course.exercisesSnapshot()).isEqualTo(before);
    }

    @Test
    void rejects_a_region_nested_in_another() {
        Course.Run run = generateFrom("""
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 1.1: reset
                        // BEGIN SOLUTION 1.2: reset again
                        // END SOLUTION
                        // END SOLUTION
                    }
                }
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":4: BEGIN SOLUTION 1.2 is inside the region of task 1.1 begun at line 3");
    }

    @Test
    void rejects_an_end_without_a_begin() {
        Course.Run run = generateFrom("""
                class Reader {
                    void reset() {
                        // END SOLUTION
                    }
                }
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":3: END SOLUTION without a BEGIN SOLUTION before it");
    }

    @Test
    void rejects_a_begin_without_an_end() {
        Course.Run run = generateFrom("""
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 1.1: reset
                    }
                }
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":3: the region of task 1.1 begun here has no END SOLUTION");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "// BEGIN SOLUTION",
        "// BEGIN SOLUTION 1:",
        "// BEGIN SOLUTION 1.1",
        "// BEGIN SOLUTION 1.x: reset",
        "// begin solution 1.1: reset",
        "//BEGINSOLUTION 1.1: reset",
        "// END SOLUTION 1.1",
    })
    void rejects_a_malformed_marker(String marker) {
        Course.Run run = generateFrom("""
                class Reader {
                    void reset() {
                        %s
                        // END SOLUTION
                    }
                }
                """.formatted(marker));

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":3: malformed solution marker `" + marker + "`",
                "// BEGIN SOLUTION <lesson>.<task>: <what to write>");
    }

    @Test
    void rejects_a_begin_without_text() {
        Course.Run run = generateFrom("""
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 1.1:   \s
                        // END SOLUTION
                    }
                }
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":3: BEGIN SOLUTION 1.1 has no text");
    }

    @Test
    void rejects_a_marker_that_follows_code_on_its_line() {
        Course.Run run = generateFrom("""
                class Reader {
                    void reset() {
                        int count = 0; // BEGIN SOLUTION 1.1: reset
                        // END SOLUTION
                    }
                }
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":3: a solution marker must be a whole-line // comment");
    }

    @Test
    void rejects_a_task_numbered_for_another_lesson() {
        Course.Run run = generateFrom("""
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 2.1: reset
                        // END SOLUTION
                    }
                }
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":3: task 2.1 is numbered for lesson 2, but the file is in"
                + " 01-blocking (lesson 1): number the task 1.<task>");
    }

    @Test
    void accepts_lesson_numbers_of_two_digits() {
        Course twelve = new Course(tmp).solution("12-epoll/Reader.java", """
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 12.3: reset
                        // END SOLUTION
                    }
                }
                """);

        assertThat(twelve.generate().status()).isEqualTo(ExerciseGenerator.OUT_OF_DATE);
        assertThat(twelve.exercise("12-epoll/Reader.java")).contains("throw new org.multiplex.kit.Todo(\"12.3\", \"reset\");");
    }

    @Test
    void rejects_a_region_outside_every_lesson_folder() {
        Course outside = new Course(tmp).solution("tools/Reader.java", """
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 1.1: reset
                        // END SOLUTION
                    }
                }
                """);

        Course.Run run = outside.generate();

        assertThat(run.status()).isEqualTo(ExerciseGenerator.FAILED);
        assertThat(run.err()).contains("solutions/tools/Reader.java:3: task 1.1 is outside every lesson folder");
        assertThat(outside.exercisesSnapshot()).containsOnlyKeys("");
    }

    @Test
    void rejects_code_after_a_region_in_its_block() {
        Course.Run run = generateFrom("""
                class Reader {
                    int next() {
                        int n;
                        // BEGIN SOLUTION 1.1: count
                        n = 1;
                        // END SOLUTION

                        return n;
                    }
                }
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":8: region ending at line 6 must end its block: the stub throws,"
                + " so nothing may follow it; move the code after it out of the region's block or into the region");
    }

    @Test
    void rejects_a_region_that_ends_the_file() {
        Course.Run run = generateFrom("""
                // BEGIN SOLUTION 1.1: write the class
                class Reader {
                }
                // END SOLUTION
                """);

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":4: region ending at line 4 must end its block");
    }

    @Test
    void reports_the_problems_of_every_file_and_writes_none_of_the_good_ones() {
        String other = "01-blocking/src/main/java/org/multiplex/blocking/Writer.java";
        generateFrom("""
                class Reader {
                    // END SOLUTION
                }
                """);
        course.solution(other, """
                class Writer {
                    // BEGIN SOLUTION 3.1: write
                }
                """);
        course.solution("01-blocking/Good.java", "class Good {}\n");

        Course.Run run = course.generate();

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":2: END SOLUTION without a BEGIN",
                "solutions/" + other + ":2: task 3.1 is numbered for lesson 3",
                "solutions/" + other + ":2: the region of task 3.1 begun here has no END SOLUTION",
                "3 problem(s) with the solution markers");
    }

    @Test
    void rejects_a_java_file_that_is_not_utf_8() {
        course = new Course(tmp).solution(READER, new byte[] {'c', 'l', (byte) 0xe9, '\n'});
        before = course.exercisesSnapshot();

        Course.Run run = course.generate();

        assertNothingWritten(run);
        assertThat(run.err()).contains(AT_READER + ":1: the file is not UTF-8");
    }
}
