package org.multiplex.grading.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * loses what it breaks and keeps what it leaves intact; and that the submissions that attack the
 * grader itself (an agent, forged native writes, the hidden suite, an orphan process, writes
 * outside their workspace, a connection to another host) get no more than the skeleton's grade,
 * and leak, leave and change nothing.
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
    /**
     * The cases that attack the grader from the skeleton, whose stubs earn nothing; graded on
     * task 1.1 only (the framing: a public and a hidden test class), which is all their attacks need.
     */
    private static final List<String> ATTACKS = List.of("agent-attach", "native-forge", "hidden-leak", "orphan-process",
            "writes-elsewhere", "phone-home");
    /** What the orphan appends to the grades, and what the writer leaves where it writes. */
    private static final String ORPHAN = "multiplex-corpus-orphan";
    private static final String MARK = "writes-elsewhere-was-here.txt";
    private static final String GRADES = "student,total\nreference,53\n";

    @TempDir
    static Path dir;

    private static Map<String, StudentResult> graded;
    private static double seconds;
    private static boolean contained;

    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    static void gradeTheCorpus() throws Exception {
        Path classDir = dir.resolve("class");
        for (Path edit : Corpus.cases(CORPUS)) {
            String name = Corpus.name(edit);
            // -Dcorpus.cases=a,b grades those cases only (with the reference code), to work on them.
            List<String> only = List.of(System.getProperty("corpus.cases", "").split(","));
            if ((IN_BUILD.contains(name) || ATTACKS.contains(name)) && !Boolean.getBoolean("corpus.referenceOnly")
                    && (only.contains("") || only.contains(name))) {
                Corpus.apply(COURSE, edit, classDir.resolve(name));
            }
        }
        Workspace.copyTree(COURSE.root().resolve("solutions"), classDir.resolve("reference").resolve("exercises"));
        ChildJvm.Limits limits = new ChildJvm.Limits(CLASS_LIMIT, Duration.ofSeconds(5), 256);
        Path scratch = dir.resolve("scratch");
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("feedback"));
        Files.writeString(out.resolve("grades.csv"), GRADES);
        // Lesson 1 for every case; lessons 1 and 2 only where lesson 2 is the point; task 1.1 for the attacks.
        Grading lessonOne = new Grading(COURSE, List.of("01-blocking"), limits, scratch, out);
        Grading lessonsOneAndTwo = new Grading(COURSE, List.of("01-blocking", "02-select"), limits, scratch, out);
        Grading framing = new Grading(COURSE, List.of("01-blocking"), limits, scratch, out, t -> t.task().equals("1.1"));
        contained = lessonOne.sandbox().contained();
        long start = System.nanoTime();
        // The infinite loop's handler keeps a thread per client spinning for as long as its test JVM
        // lives. Graded beside it on the same cores, the reference's timing-sensitive tests would fail
        // for it; each place has a core of its own, so the reference keeps its full marks.
        graded = new java.util.LinkedHashMap<>();
        gradeAtOnce(Submission.inClass(classDir), 2, s -> s.contains("lesson-2") ? lessonsOneAndTwo
                : ATTACKS.contains(s) ? framing : lessonOne, out);
        seconds = (System.nanoTime() - start) / 1e9;
        Files.writeString(dir.resolve("table.txt"), graded.toString());
    }

    private static void gradeAtOnce(List<Submission> submissions, int atOnce, Function<String, Grading> grading, Path out)
            throws Exception {
        Places places = Places.of(atOnce, true);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(atOnce)) {
            var futures = submissions.stream()
                    .map(s -> pool.submit(() -> places.in(pin -> {
                        StringBuilder log = new StringBuilder();
                        StudentResult r = grading.apply(s.student()).grade(s, log, pin);
                        Files.createDirectories(LOGS);
                        Files.writeString(LOGS.resolve(s.student() + ".log"), log);
                        Reports.feedback(r, out.resolve("feedback").resolve(s.student() + ".html"));
                        Reports.gradescope(r, out.resolve("feedback").resolve(s.student() + ".json"));
                        return r;
                    }))).toList();
            for (var f : futures) {
                StudentResult r = f.get();
                graded.put(r.student(), r);
            }
        }
    }

    private static String log(String student) throws java.io.IOException {
        return Files.readString(LOGS.resolve(student + ".log"));
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
        assertThat(seconds).as("seconds to grade the corpus").isLessThan(900);
    }

    @Test
    void attacks_on_the_grader_earn_what_the_skeleton_earns() {
        for (String student : ATTACKS) {
            LessonResult one = lesson(student, "01-blocking");
            assertThat(one.results()).as(student + ": task 1.1's tests, public and hidden")
                    .anyMatch(r -> r.test().hidden()).anyMatch(r -> !r.test().hidden())
                    .allMatch(r -> r.test().task().equals("1.1"));
            // The skeleton's stub of task 1.1 throws: no test of it passes.
            assertThat(one.score()).as(student + ": lesson 1, task 1.1").isZero();
        }
    }

    @Test
    void an_agent_never_gets_into_the_test_jvm() throws Exception {
        assertThat(log("agent-attach")).doesNotContain("AGENT RUNNING IN THE TEST JVM").contains("agent-attach: attaching failed");
    }

    @Test
    void native_code_never_writes_to_the_report() throws Exception {
        assertThat(log("native-forge")).doesNotContain("forged bytes").contains("native-forge: java.lang.IllegalCallerException");
    }

    @Test
    void no_feedback_quotes_a_hidden_test() throws Exception {
        List<String> hiddenText = hiddenText("01-blocking");
        assertThat(hiddenText).as("lines and constants of lesson 1's hidden suite").hasSizeGreaterThan(3);
        for (String student : ATTACKS) {
            for (String report : List.of(student + ".html", student + ".json")) {
                String text = Files.readString(dir.resolve("out/feedback").resolve(report));
                for (String hidden : hiddenText) {
                    assertThat(text).as(report).doesNotContain(hidden)
                            .doesNotContain(hidden.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"))
                            .doesNotContain(hidden.replace("\\", "\\\\").replace("\"", "\\\""));
                }
            }
        }
        assertThat(Files.readString(dir.resolve("out/feedback/hidden-leak.html"))).as("the leak, withheld and said so")
                .contains(HiddenSuites.WITHHELD);
        assertThat(log("hidden-leak")).contains("withheld the message");
    }

    /** Returns the long lines and string constants of a lesson's hidden suite that its public suite and the kit lack. */
    private static List<String> hiddenText(String slug) throws java.io.IOException {
        StringBuilder publicText = new StringBuilder();
        for (Path sources : List.of(COURSE.suite(slug).resolve("src"), COURSE.root().resolve("kit/src"))) {
            try (var walk = Files.walk(sources)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    publicText.append(Files.readString(f));
                }
            }
        }
        List<String> found = new java.util.ArrayList<>();
        try (var walk = Files.walk(COURSE.hiddenSuite(slug))) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(f);
                source.lines().map(String::strip).filter(l -> l.length() >= 30).forEach(found::add);
                var constants = java.util.regex.Pattern.compile("\"([^\"\\\\]{20,})\"").matcher(source);
                while (constants.find()) {
                    found.add(constants.group(1));
                }
            }
        }
        found.removeIf(t -> publicText.indexOf(t) >= 0);
        return found;
    }

    @Test
    void no_process_outlives_its_test_jvm() throws Exception {
        assumeTrue(contained, "bwrap is missing or does not work here: submissions are not contained");
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(ORPHAN)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("the orphan's processes, still running").isEmpty();
        assertThat(Files.readString(dir.resolve("out/grades.csv"))).as("the grades the orphan would append to").isEqualTo(GRADES);
    }

    @Test
    void no_submission_writes_outside_its_workspace() throws Exception {
        assumeTrue(contained, "bwrap is missing or does not work here: submissions are not contained");
        List<Path> marks = new java.util.ArrayList<>();
        for (Path p : List.of(COURSE.root().resolve(MARK), Sandbox.m2().resolve(MARK))) {
            if (Files.exists(p)) {
                marks.add(p);
                Files.delete(p);
            }
        }
        try (var walk = Files.walk(dir.resolve("scratch"))) {
            walk.filter(p -> p.endsWith(MARK)).forEach(marks::add);
        }
        assertThat(marks).as("files the submission wrote outside its workspace").isEmpty();
        assertThat(log("writes-elsewhere")).contains("writes-elsewhere: could not write into " + COURSE.root());
    }

    @Test
    void no_submission_reaches_another_host() throws Exception {
        assumeTrue(contained, "bwrap is missing or does not work here: submissions are not contained");
        assertThat(log("phone-home")).contains("phone-home: Network is unreachable").doesNotContain("phone-home: connected");
    }
}
