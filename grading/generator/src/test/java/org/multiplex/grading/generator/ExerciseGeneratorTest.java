package org.multiplex.grading.generator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.multiplex.grading.generator.Course.READER;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExerciseGeneratorTest {

    @TempDir
    Path tmp;

    @Test
    void replaces_a_region_in_a_void_method_by_a_stub_naming_its_lesson_and_task() {
        Course course = new Course(tmp).solution(READER, """
                package org.multiplex.blocking;

                class Reader {

                    private int count;

                    void reset() {
                        // BEGIN SOLUTION 1.1: set the count back to zero
                        count = 0;
                        // END SOLUTION
                    }
                }
                """);

        course.generate();

        assertThat(course.exercise(READER)).isEqualTo("""
                package org.multiplex.blocking;

                class Reader {

                    private int count;

                    void reset() {
                        // TODO(1.1): set the count back to zero
                        throw new org.multiplex.kit.Todo("1.1", "set the count back to zero");
                    }
                }
                """);
    }

    @Test
    void replaces_a_region_in_a_method_that_returns_a_value_by_a_stub_that_compiles_and_throws_its_text() {
        Course course = new Course(tmp).solution(READER, """
                package org.multiplex.blocking;

                final class Reader {

                    private Reader() {
                    }

                    static int next() {
                        // BEGIN SOLUTION 1.2: return the length of "a?" \\ or of 'b\\n'
                        int length = "a?".length();
                        if (length > 1) {
                            return length;
                        }
                        return 0;
                        // END SOLUTION
                    }
                }
                """);

        course.generate();

        Javac compiled = Javac.compile(tmp.resolve("javac"), course.exercises.resolve(READER));
        assertThat(compiled.thrownBy("org.multiplex.blocking.Reader", "next"))
                .hasMessage("TODO(1.2): return the length of \"a?\" \\ or of 'b\\n'");
    }

    @Test
    void replaces_two_regions_of_two_tasks_in_one_file_each_at_its_own_indentation() {
        Course course = new Course(tmp).solution(READER, """
                package org.multiplex.blocking;

                final class Reader {

                    private Reader() {
                    }

                    static int next(boolean ready) {
                        if (ready) {
                            // BEGIN SOLUTION 1.1: answer the ready case
                            return 1;
                            // END SOLUTION
                        }
                        // BEGIN SOLUTION 1.2: answer the other case
                        return 2;
                        // END SOLUTION
                    }
                }
                """);

        course.generate();

        assertThat(course.exercise(READER)).isEqualTo("""
                package org.multiplex.blocking;

                final class Reader {

                    private Reader() {
                    }

                    static int next(boolean ready) {
                        if (ready) {
                            // TODO(1.1): answer the ready case
                            throw new org.multiplex.kit.Todo("1.1", "answer the ready case");
                        }
                        // TODO(1.2): answer the other case
                        throw new org.multiplex.kit.Todo("1.2", "answer the other case");
                    }
                }
                """);
        Javac.compile(tmp.resolve("javac"), course.exercises.resolve(READER));
    }

    @Test
    void copies_a_java_file_without_regions_byte_for_byte() {
        // Mixed endings, a non-ASCII letter, prose about markers and no final newline: all kept.
        byte[] source = ("package org.multiplex.blocking;\r\n\n// Café: the END SOLUTION marker closes a region.\n"
                + "class Reader {\r\n}").getBytes(UTF_8);
        Course course = new Course(tmp).solution(READER, source);

        course.generate();

        assertThat(course.exerciseBytes(READER)).isEqualTo(source);
    }

    @Test
    void keeps_crlf_line_endings_in_the_stub_lines_too() {
        String lf = """
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 1.1: reset
                        int count = 0;
                        // END SOLUTION
                    }
                }
                """;
        Course course = new Course(tmp).solution(READER, lf.replace("\n", "\r\n"));

        course.generate();

        assertThat(course.exercise(READER)).isEqualTo("""
                class Reader {
                    void reset() {
                        // TODO(1.1): reset
                        throw new org.multiplex.kit.Todo("1.1", "reset");
                    }
                }
                """.replace("\n", "\r\n"));
    }

    @Test
    void keeps_a_missing_final_newline_missing() {
        Course course = new Course(tmp).solution(READER, """
                class Reader {
                    void reset() {
                        // BEGIN SOLUTION 1.1: reset
                        // END SOLUTION
                    }
                }""");

        course.generate();

        assertThat(course.exercise(READER)).endsWith("    }\n}");
    }

    @Test
    void names_the_exercise_modules_in_every_pom() {
        Course course = new Course(tmp)
                .solution("pom.xml", """
                        <project>
                          <artifactId>solutions</artifactId>
                          <name>Multiplex solutions</name>
                          <description>The reference code of every lesson, one module each.</description>
                          <modules><module>01-blocking</module></modules>
                        </project>
                        """)
                .solution("01-blocking/pom.xml", """
                        <project>
                          <parent><artifactId>solutions</artifactId></parent>
                          <artifactId>solutions-01-blocking</artifactId>
                          <name>Lesson 1: blocking (solutions)</name>
                          <!-- ${course.root}/solutions stays: it is a path, not a name. -->
                        </project>
                        """);

        course.generate();

        assertThat(course.exercise("pom.xml")).isEqualTo("""
                <project>
                  <artifactId>exercises</artifactId>
                  <name>Multiplex exercises</name>
                  <description>The exercise skeletons of every lesson, generated from solutions/, one module each.</description>
                  <modules><module>01-blocking</module></modules>
                </project>
                """);
        assertThat(course.exercise("01-blocking/pom.xml")).isEqualTo("""
                <project>
                  <parent><artifactId>exercises</artifactId></parent>
                  <artifactId>exercises-01-blocking</artifactId>
                  <name>Lesson 1: blocking (exercises)</name>
                  <!-- ${course.root}/solutions stays: it is a path, not a name. -->
                </project>
                """);
    }

    @Test
    void copies_other_files_byte_for_byte_even_when_they_look_like_java() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        String notes = "// BEGIN SOLUTION 9: markers count in Java files only\n";
        Course course = new Course(tmp)
                .solution("01-blocking/src/main/resources/logo.bin", binary)
                .solution("01-blocking/notes.adoc", notes);

        course.generate();

        assertThat(course.exerciseBytes("01-blocking/src/main/resources/logo.bin")).isEqualTo(binary);
        assertThat(course.exercise("01-blocking/notes.adoc")).isEqualTo(notes);
    }

    @Test
    void deletes_an_exercise_file_that_no_solution_makes_and_the_folders_it_leaves_empty() {
        String stale = "01-blocking/src/main/java/org/multiplex/gone/Old.java";
        Course course = new Course(tmp)
                .solution(READER, "class Reader {}\n")
                .exercise(READER, "class Reader {}\n")
                .exercise(stale, "class Old {}\n");

        Course.Run run = course.generate();

        assertThat(run.out()).contains("deleted exercises/" + stale);
        assertThat(course.exercises.resolve(stale)).doesNotExist();
        assertThat(course.exercises.resolve("01-blocking/src/main/java/org/multiplex/gone")).doesNotExist();
        assertThat(course.exercises.resolve(READER)).exists();
    }

    @Test
    void ignores_target_folders_on_both_sides() {
        Course course = new Course(tmp)
                .solution("01-blocking/pom.xml", "<project/>\n")
                .solution("01-blocking/target/classes/Reader.class", "solution bytes")
                .exercise("01-blocking/target/classes/Other.class", "exercise bytes");

        course.generate();

        assertThat(course.exercises.resolve("01-blocking/target/classes/Reader.class")).doesNotExist();
        assertThat(course.exercise("01-blocking/target/classes/Other.class")).isEqualTo("exercise bytes");
        assertThat(course.generate().status()).isEqualTo(ExerciseGenerator.UP_TO_DATE);
    }

    @Test
    void reports_each_file_written_in_path_order_and_exits_1_asking_for_review() {
        Course course = new Course(tmp)
                .solution("pom.xml", "<project/>\n")
                .solution(READER, "class Reader {}\n")
                .solution("01-blocking/pom.xml", "<project/>\n");

        Course.Run run = course.generate();

        assertThat(run.status()).isEqualTo(ExerciseGenerator.OUT_OF_DATE);
        assertThat(run.out().lines()).containsExactly(
                "wrote exercises/01-blocking/pom.xml",
                "wrote exercises/" + READER,
                "wrote exercises/pom.xml");
        assertThat(run.err()).isEqualToIgnoringNewLines("exercises/ was out of date and has been regenerated (3 files)."
                + " Review the change and commit it with the solution.");
    }

    @Test
    void regenerating_twice_changes_nothing_the_second_time() {
        Course course = new Course(tmp)
                .solution("pom.xml", "<artifactId>solutions</artifactId>\n")
                .solution(READER, """
                        class Reader {
                            void reset() {
                                // BEGIN SOLUTION 1.1: reset
                                // END SOLUTION
                            }
                        }
                        """)
                .exercise("01-blocking/Stale.java", "class Stale {}\n");
        assertThat(course.generate().status()).isEqualTo(ExerciseGenerator.OUT_OF_DATE);
        var afterFirst = course.exercisesSnapshot();

        Course.Run second = course.generate();

        assertThat(second.status()).isEqualTo(ExerciseGenerator.UP_TO_DATE);
        assertThat(second.out()).isEqualToIgnoringNewLines("exercises/ is up to date (2 files).");
        assertThat(course.exercisesSnapshot()).isEqualTo(afterFirst);
    }

    @Test
    void check_lists_the_files_that_differ_and_writes_nothing() {
        Course course = new Course(tmp)
                .solution("pom.xml", "<project/>\n")
                .solution(READER, "class Reader {}\n")
                .exercise(READER, "class Reader { int edited; }\n")
                .exercise("01-blocking/Stale.java", "class Stale {}\n");
        var before = course.exercisesSnapshot();

        Course.Run run = course.generate("--check");

        assertThat(run.status()).isEqualTo(ExerciseGenerator.OUT_OF_DATE);
        assertThat(run.out().lines()).containsExactly(
                "stale exercises/01-blocking/Stale.java",
                "differs exercises/" + READER,
                "differs exercises/pom.xml");
        assertThat(run.err()).contains("exercises/ is out of date (3 files)");
        assertThat(course.exercisesSnapshot()).isEqualTo(before);
    }

    @Test
    void check_passes_when_the_exercises_are_up_to_date() {
        Course course = new Course(tmp).solution(READER, "class Reader {}\n");
        course.generate();

        Course.Run run = course.generate("--check");

        assertThat(run.status()).isEqualTo(ExerciseGenerator.UP_TO_DATE);
        assertThat(run.out()).contains("exercises/ is up to date (1 file).");
    }

    @Test
    void refuses_a_missing_solutions_folder_instead_of_deleting_every_exercise() throws Exception {
        Course course = new Course(tmp).exercise(READER, "class Reader {}\n");
        Files.delete(course.solutions);

        Course.Run run = course.generate();

        assertThat(run.status()).isEqualTo(ExerciseGenerator.FAILED);
        assertThat(run.err()).contains("no solutions folder");
        assertThat(course.exercise(READER)).isEqualTo("class Reader {}\n");
    }
}
