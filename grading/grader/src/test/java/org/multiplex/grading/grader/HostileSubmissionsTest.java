package org.multiplex.grading.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grades the hostile and broken corpus, lesson 1 only (and lesson 2 for the compile error in it),
 * two at a time as a class is graded, each on a core of its own, and checks that each submission
 * loses what it breaks and keeps what it leaves intact.
 */
class HostileSubmissionsTest {

    private static final Course COURSE = Course.here();
    private static final Path CORPUS = Path.of("src/test/resources/corpus").toAbsolutePath();
    private static final Path LOGS = Path.of("target/corpus-logs").toAbsolutePath();
    private static final Duration CLASS_LIMIT = Duration.ofSeconds(60);
    /**
     * The cases graded in every build, chosen to keep it short; the deadlock, thread leak, socket
     * hog and output flood are graded with the rest by hand ({@code grading/grade sample-class}).
     */
    private static final List<String> IN_BUILD = List.of("infinite-loop", "system-exit", "runtime-halt",
            "compile-error-lesson-2", "forged-results", "edited-tests", "shadowed-grader");

    @TempDir
    static Path dir;

    private static Map<String, StudentResult> graded;
    private static double seconds;

    @BeforeAll
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    static void gradeTheCorpus() throws Exception {
        Path classDir = dir.resolve("class");
        for (Path edit : Corpus.cases(CORPUS)) {
            if (IN_BUILD.contains(Corpus.name(edit)) && !Boolean.getBoolean("corpus.referenceOnly")) {
                Corpus.apply(COURSE, edit, classDir.resolve(Corpus.name(edit)));
            }
        }
        Workspace.copyTree(COURSE.root().resolve("solutions"), classDir.resolve("reference").resolve("exercises"));
        ChildJvm.Limits limits = new ChildJvm.Limits(CLASS_LIMIT, Duration.ofSeconds(5), 256);
        // Lesson 1 for every case; lessons 1 and 2 only where lesson 2 is the point.
        Grading lessonOne = new Grading(COURSE, List.of("01-blocking"), limits, dir.resolve("scratch"));
        Grading lessonsOneAndTwo = new Grading(COURSE, List.of("01-blocking", "02-select"), limits, dir.resolve("scratch"));
        long start = System.nanoTime();
        // The infinite loop's handler keeps a thread per client spinning for as long as its test JVM
        // lives. Graded beside it on the same cores, the reference's timing-sensitive tests would fail
        // for it; each place has a core of its own, so the reference keeps its full marks.
        graded = new java.util.LinkedHashMap<>();
        gradeAtOnce(Submission.inClass(classDir), 2, lessonOne, lessonsOneAndTwo);
        seconds = (System.nanoTime() - start) / 1e9;
        Files.writeString(dir.resolve("table.txt"), graded.toString());
    }

    private static void gradeAtOnce(List<Submission> submissions, int atOnce, Grading lessonOne, Grading lessonsOneAndTwo)
            throws Exception {
        Places places = Places.of(atOnce, true);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(atOnce)) {
            var futures = submissions.stream()
                    .map(s -> pool.submit(() -> places.in(pin -> {
                        StringBuilder log = new StringBuilder();
                        StudentResult r = (s.student().contains("lesson-2") ? lessonsOneAndTwo : lessonOne).grade(s, log, pin);
                        Files.createDirectories(LOGS);
                        Files.writeString(LOGS.resolve(s.student() + ".log"), log);
                        return r;
                    }))).toList();
            for (var f : futures) {
                StudentResult r = f.get();
                graded.put(r.student(), r);
            }
        }
    }

    private static LessonResult lesson(String student, String slug) {
        return graded.get(student).lessons().stream().filter(l -> l.lesson().equals(slug)).findFirst().orElseThrow();
    }

    private static Map<String, Integer> earnedByTask(LessonResult l) {
        return l.results().stream().collect(Collectors.groupingBy(r -> r.test().task(), Collectors.summingInt(TestResult::earned)));
    }

    private static Map<String, Integer> maxByTask(LessonResult l) {
        return l.results().stream().collect(Collectors.groupingBy(r -> r.test().task(), Collectors.summingInt(r -> r.test().points())));
    }

    @Test
    void the_reference_code_gets_full_marks_hidden_tests_included() {
        LessonResult one = lesson("reference", "01-blocking");
        assertThat(one.results()).anyMatch(r -> r.test().hidden());
        assertThat(one.results()).allSatisfy(r -> assertThat(r.passed()).as(r.test().key() + ": " + r.message()).isTrue());
    }

    @Test
    void hostile_handlers_lose_the_server_tasks_and_keep_the_framing_task() {
        for (String student : List.of("infinite-loop", "system-exit", "runtime-halt")) {
            LessonResult one = lesson(student, "01-blocking");
            Map<String, Integer> earned = earnedByTask(one);
            Map<String, Integer> max = maxByTask(one);
            assertThat(earned.get("1.1")).as("%s: task 1.1, untouched", student).isEqualTo(max.get("1.1"));
            assertThat(one.score()).as("%s: lesson 1 in all", student).isLessThan(one.maxScore());
            assertThat(one.seconds()).as("%s: seconds to grade lesson 1", student)
                    .isLessThan(4 * CLASS_LIMIT.toSeconds() + 180);
        }
    }

    @Test
    void a_compile_error_in_lesson_2_costs_lesson_2_only() {
        assertThat(lesson("compile-error-lesson-2", "02-select").score()).isZero();
        assertThat(lesson("compile-error-lesson-2", "02-select").problem()).contains("does not compile");
        LessonResult one = lesson("compile-error-lesson-2", "01-blocking");
        assertThat(one.score()).isEqualTo(one.maxScore());
    }

    @Test
    void forged_results_edited_tests_and_a_shadowed_grader_earn_what_the_skeleton_earns() {
        Function<String, Integer> score = s -> lesson(s, "01-blocking").score();
        assertThat(score.apply("shadowed-grader")).as("a class named like the grader's, in the submission")
                .isLessThan(lesson("shadowed-grader", "01-blocking").maxScore() / 2);
        assertThat(score.apply("forged-results")).isLessThan(lesson("forged-results", "01-blocking").maxScore() / 2);
        assertThat(score.apply("edited-tests")).isLessThan(lesson("edited-tests", "01-blocking").maxScore() / 2);
        assertThat(lesson("edited-tests", "01-blocking").results()).as("graded tests, from the instructor's suite")
                .hasSize(lesson("reference", "01-blocking").results().size());
    }

    @Test
    void the_corpus_is_graded_within_its_limits() {
        assertThat(seconds).as("seconds to grade the corpus").isLessThan(540);
    }
}
