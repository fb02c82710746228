package org.multiplex.kit.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.multiplex.kit.Todo;

/**
 * Records the result of every {@link Graded} test in a JSON file, for the score table and for
 * tools.
 *
 * <p>The file is written when the plan starts, with every item {@link Outcome#NOT_FINISHED}, and
 * again after every item. So a JVM that dies in the middle of a test (a crash, a
 * {@code System.exit} in a student's handler) leaves behind a file in which that test and the
 * ones after it are not finished: failures, never passes.
 *
 * <p>The JUnit Platform finds this listener through {@code META-INF/services}; Maven Surefire,
 * the IDEs and {@link GradeRunner} all load it. The file is {@code target/grades/results.json}
 * unless the system property {@value #RESULTS_PROPERTY} names another.
 */
public final class ScoreListener implements TestExecutionListener {

    /** The system property naming the results file. */
    public static final String RESULTS_PROPERTY = "multiplex.results";

    private static final int MAX_MESSAGE = 600;

    /** Lines of a stack trace that AssertJ puts into some messages: noise in a score table. */
    private static final java.util.regex.Pattern STACK_LINE = java.util.regex.Pattern.compile(
            "(?m)^\\s*(at [\\w$.<>/]+\\(.*\\)|\\.\\.\\.\\(\\d+ remaining lines not displayed.*\\))\\s*$\\n?");

    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, Long> started = new LinkedHashMap<>();
    private TestPlan plan;
    private Path file;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        file = Path.of(System.getProperty(RESULTS_PROPERTY, "target/grades/results.json"));
        for (TestIdentifier root : testPlan.getRoots()) {
            for (TestIdentifier id : testPlan.getDescendants(root)) {
                graded(id).ifPresent(g -> items.put(id.getUniqueId(), new Item(g.task(), g.points(),
                        className(id), methodName(id), id.getDisplayName(), Outcome.NOT_FINISHED,
                        "did not finish: the test JVM crashed or exited during or before this test", 0)));
            }
        }
        if (!items.isEmpty()) {
            save();
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (items.containsKey(id.getUniqueId())) {
            Todo.drain();
            started.put(id.getUniqueId(), System.nanoTime());
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        for (String key : itemsUnder(id)) {
            items.computeIfPresent(key, (k, item) -> item.with(Outcome.SKIPPED, "skipped: " + reason, 0));
        }
        save();
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String key = id.getUniqueId();
        Item item = items.get(key);
        if (item != null) {
            long millis = (System.nanoTime() - started.getOrDefault(key, System.nanoTime())) / 1_000_000;
            List<Todo> todos = Todo.drain();
            items.put(key, switch (result.getStatus()) {
                case SUCCESSFUL -> item.with(Outcome.PASSED, "", millis);
                case ABORTED -> item.with(Outcome.SKIPPED, "aborted: " + describe(result, List.of()), millis);
                case FAILED -> item.with(Outcome.FAILED, describe(result, todos), millis);
            });
            save();
        } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            // A class whose set-up failed: its tests never ran, and each fails with its reason.
            String why = "did not run: " + describe(result, Todo.drain());
            for (String child : itemsUnder(id)) {
                items.computeIfPresent(child, (k, it) -> it.outcome() == Outcome.NOT_FINISHED
                        ? it.with(Outcome.FAILED, why, 0) : it);
            }
            save();
        }
    }

    private List<String> itemsUnder(TestIdentifier id) {
        List<String> keys = new ArrayList<>();
        if (items.containsKey(id.getUniqueId())) {
            keys.add(id.getUniqueId());
        }
        for (TestIdentifier d : plan.getDescendants(id)) {
            if (items.containsKey(d.getUniqueId())) {
                keys.add(d.getUniqueId());
            }
        }
        return keys;
    }

    private void save() {
        if (items.isEmpty()) {
            return;
        }
        try {
            new Results(System.getProperty("course.tree", ""), List.copyOf(items.values())).write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the graded results to " + file, e);
        }
    }

    /**
     * Describes a failure for the student: the stub they still have to fill in, if the test ran
     * into one, and then what the test saw; without stack trace lines, and cut to a length the
     * score table shows whole. The grader's child JVM describes failures with it too.
     *
     * @param result the test's result
     * @param todos  the stubs the code reached during the test, on any thread
     * @return the message
     */
    public static String describe(TestExecutionResult result, List<Todo> todos) {
        Throwable thrown = result.getThrowable().orElse(null);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof Todo todo) {
                return todo.getMessage();
            }
        }
        String seen = thrown == null ? "failed" : firstLines(thrown);
        String text;
        if (todos.isEmpty()) {
            text = seen;
        } else if (thrown instanceof AssertionError) {
            text = todos.get(0).getMessage() + "\n(the test saw: " + seen + ")";
        } else {
            // The kit closes its clients' sockets when a stub is reached; what the test then saw
            // (a closed socket) says nothing more than the stub's own message.
            text = todos.get(0).getMessage();
        }
        text = STACK_LINE.matcher(text).replaceAll("").strip();
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + " ...";
    }

    private static String firstLines(Throwable t) {
        String message = t.getMessage();
        String name = t.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return t.getCause() != null ? name + ": " + firstLines(t.getCause()) : name;
        }
        return t instanceof AssertionError ? message.strip() : name + ": " + message.strip();
    }

    private static Optional<Graded> graded(TestIdentifier id) {
        return method(id).map(m -> m.getAnnotation(Graded.class));
    }

    private static Optional<Method> method(TestIdentifier id) {
        return id.getSource()
                .filter(MethodSource.class::isInstance)
                .map(s -> ((MethodSource) s).getJavaMethod());
    }

    private static String className(TestIdentifier id) {
        return id.getSource().map(s -> ((MethodSource) s).getClassName()).orElse("");
    }

    private static String methodName(TestIdentifier id) {
        return id.getSource().map(s -> ((MethodSource) s).getMethodName()).orElse("");
    }
}
