package org.multiplex.kit.grading;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs graded tests, in this JVM, and writes their results: every test in the given test-class
 * folders, or the given test classes.
 *
 * <p>This is how the course runs a suite outside Maven: in a child JVM whose class path holds the
 * suite, the code under test and the kit. The child writes the results file as it goes (see
 * {@link ScoreListener}); the parent reads it after the child has ended, however it ended.
 *
 * <pre>
 * java -cp SUITE:CODE:KIT... -Dmultiplex.results=out.json -Dcourse.tree=exercises \
 *      org.multiplex.kit.grading.GradeRunner grading/01-blocking/target/test-classes
 * </pre>
 */
public final class GradeRunner {

    private GradeRunner() {
    }

    /** Prints each failure's stack trace to the standard error, which the caller keeps in a log. */
    private static final class FailureLog implements TestExecutionListener {
        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            result.getThrowable().ifPresent(t -> {
                System.err.println("\n" + result.getStatus() + ": " + id.getLegacyReportingName() + " ("
                        + id.getSource().map(Object::toString).orElse("") + ")");
                t.printStackTrace();
            });
        }
    }

    /**
     * Discovers and runs the tests.
     *
     * @param args folders of compiled test classes, or fully qualified test class names
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: GradeRunner TEST-CLASS-FOLDER|TEST-CLASS...");
            System.exit(2);
        }
        Set<Path> roots = Arrays.stream(args).map(Path::of).filter(Files::isDirectory).collect(Collectors.toSet());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(roots));
        Arrays.stream(args).filter(a -> !Files.isDirectory(Path.of(a))).forEach(c -> request.selectors(selectClass(c)));
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request.build(), new FailureLog());
        // Lingering non-daemon threads of a broken submission must not keep the JVM alive.
        System.exit(0);
    }
}
