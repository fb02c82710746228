package org.multiplex.grading.grader;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.ScoreListener;

/**
 * Runs in the child JVM: runs the given graded tests and reports each start and finish, one line
 * each, on a Unix socket to the grader, connected before any submitted code ran (the grader
 * hears the first connection only). The grader keeps the score; nothing this JVM writes to disk
 * counts, and a line out of the protocol's order voids the whole report.
 *
 * <p>Arguments: the grader's socket, then the tests as {@code class#method}.
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(args[0]));
        PrintStream events = new PrintStream(Channels.newOutputStream(socket), true, StandardCharsets.UTF_8);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (int i = 1; i < args.length; i++) {
            // By the method itself, not its name: a test with parameters (a @TempDir) is not
            // found by name alone. The class is loaded, not initialised: no test code runs yet.
            String[] name = args[i].split("#", 2);
            Class<?> testClass = Class.forName(name[0], false, ChildMain.class.getClassLoader());
            for (Method method : testClass.getDeclaredMethods()) {
                if (method.getName().equals(name[1])) {
                    request.selectors(selectMethod(testClass, method));
                }
            }
        }
        LauncherDiscoveryRequest built = request.build();
        LauncherFactory.create().execute(built, new Reporter(events));
        events.println("DONE");
        events.flush();
        // Threads a submission left running must not keep this JVM alive, and its shutdown hooks
        // must not run: halt, not exit.
        Runtime.getRuntime().halt(0);
    }

    /** Sends one line per event: STARTED key, or FINISHED key outcome millis message(base64). */
    private static final class Reporter implements TestExecutionListener {
        private final PrintStream out;
        private final java.util.Map<String, Long> started = new java.util.HashMap<>();

        Reporter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            String key = key(id);
            if (key != null) {
                Todo.drain();
                started.put(key, System.nanoTime());
                send("STARTED " + key);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            String key = key(id);
            if (key != null) {
                // The grader hears no verdict for a test that did not start.
                send("STARTED " + key);
                send("FINISHED " + key + " FAILED 0 " + encode("skipped: " + reason));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            String key = key(id);
            if (key == null) {
                return;
            }
            long millis = (System.nanoTime() - started.getOrDefault(key, System.nanoTime())) / 1_000_000;
            boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            send("FINISHED " + key + (passed ? " PASSED " : " FAILED ") + millis + " "
                    + encode(passed ? "" : describe(result)));
        }

        private void send(String line) {
            synchronized (out) {
                out.println(line);
            }
        }

        private static String key(TestIdentifier id) {
            return id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                    .map(s -> s.getClassName() + "#" + s.getMethodName()).orElse(null);
        }

        private static String encode(String text) {
            return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        private static String describe(TestExecutionResult result) {
            return result.getStatus() == TestExecutionResult.Status.ABORTED ? "aborted"
                    : ScoreListener.describe(result, Todo.drain());
        }
    }
}
