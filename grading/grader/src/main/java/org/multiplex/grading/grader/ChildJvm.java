package org.multiplex.grading.grader;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs graded tests of one lesson in a child JVM, with a heap limit and a wall-clock limit, and
 * collects their results from a loopback connection the grader opened for that child.
 *
 * <p>When the child dies in the middle (a {@code System.exit}, a {@code halt}, a crash, or the
 * grader killing it at its limit), the test it was running fails, and a new child runs the tests
 * that had not started yet, until all have a result or the lesson's time is up. What the child
 * prints is kept up to a limit and thrown away after it.
 */
final class ChildJvm {

    /** Output kept per child: enough for a stack trace, never a flood. */
    static final int KEPT_OUTPUT = 64 * 1024;

    private final List<String> classPath;
    private final Path workDir;
    private final Limits limits;
    private final List<String> pin;

    /**
     * @param classPath the child's class path: suite, lesson, kit, libraries and this grader
     * @param workDir   the child's working folder, in the submission's workspace
     * @param limits    time and memory limits
     * @param pin       what goes before the child's command to keep it to some cores (see
     *                  {@link Places}); empty for none
     */
    ChildJvm(List<String> classPath, Path workDir, Limits limits, List<String> pin) {
        this.classPath = classPath;
        this.workDir = workDir;
        this.limits = limits;
        this.pin = pin;
    }

    /** Time and memory limits: all tests of one test class, one test, and the heap. */
    record Limits(Duration testClass, Duration test, int heapMegabytes) {
    }

    /**
     * Runs the tests, each test class in child JVMs of its own and within its own time limit, so
     * that a class that hangs costs its own tests only; returns one result for each test, none
     * missing, and appends the children's output to log.
     */
    List<TestResult> run(List<GradedTest> tests, StringBuilder log) throws IOException, InterruptedException {
        Map<String, List<GradedTest>> byClass = new LinkedHashMap<>();
        tests.forEach(t -> byClass.computeIfAbsent(t.testClass(), c -> new ArrayList<>()).add(t));
        Map<String, TestResult> results = new LinkedHashMap<>();
        for (List<GradedTest> group : byClass.values()) {
            runClass(group, results, log);
        }
        List<TestResult> all = new ArrayList<>();
        for (GradedTest t : tests) {
            all.add(results.getOrDefault(t.key(), new TestResult(t, false,
                    "did not run: its test class's time limit (" + limits.testClass().toSeconds()
                    + " s) ran out, or the test JVM could not start", 0)));
        }
        return all;
    }

    private void runClass(List<GradedTest> tests, Map<String, TestResult> results, StringBuilder log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limits.testClass().toNanos();
        List<GradedTest> pending = new ArrayList<>(tests);
        while (!pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int before = results.size();
            runOnce(pending, Duration.ofNanos(left), results, log);
            pending.removeIf(t -> results.containsKey(t.key()));
            if (results.size() == before) {
                break;
            }
        }
    }

    private void runOnce(List<GradedTest> tests, Duration limit, Map<String, TestResult> results, StringBuilder log)
            throws IOException, InterruptedException {
        Map<String, GradedTest> byKey = new LinkedHashMap<>();
        tests.forEach(t -> byKey.put(t.key(), t));
        try (ServerSocket channel = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> command = new ArrayList<>(pin);
            command.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + limits.heapMegabytes() + "m", "-Xss1m",
                    "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                    "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                    "-Djava.io.tmpdir=" + workDir.resolve("tmp"),
                    "-Dcourse.root=" + workDir,
                    "-Dcourse.tree=exercises",
                    // This JVM reports to the grader alone: the kit's results file is not wanted,
                    // nor its listener taking the stubs reached that the report names.
                    "-Djunit.platform.execution.listeners.deactivate=org.multiplex.kit.grading.ScoreListener",
                    "-Djunit.jupiter.execution.timeout.default=" + limits.test().toSeconds() + " s",
                    "-cp", String.join(java.io.File.pathSeparator, classPath),
                    ChildMain.class.getName(),
                    String.valueOf(channel.getLocalPort())));
            byKey.keySet().forEach(command::add);
            java.nio.file.Files.createDirectories(workDir.resolve("tmp"));
            Process child = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            child.getOutputStream().close();
            Output output = new Output(child.getInputStream());
            Thread.ofPlatform().daemon().name("child-output").start(output);
            long deadline = System.nanoTime() + limit.toNanos();
            String running = null;
            boolean done = false;
            boolean killed = false;
            channel.setSoTimeout(1000);
            Socket events = null;
            while (events == null && System.nanoTime() < deadline && child.isAlive()) {
                try {
                    events = channel.accept();
                } catch (SocketTimeoutException e) {
                    // the child is still starting
                }
            }
            if (events != null) {
                // Only this first connection counts; the listening socket closes with this block.
                try (Socket in = events;
                     BufferedReader lines = new BufferedReader(new InputStreamReader(in.getInputStream(), StandardCharsets.UTF_8))) {
                    while (true) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            killed = true;
                            break;
                        }
                        in.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
                        String line;
                        try {
                            line = lines.readLine();
                        } catch (SocketTimeoutException e) {
                            killed = true;
                            break;
                        } catch (IOException e) {
                            break;
                        }
                        if (line == null) {
                            break;
                        }
                        String[] f = line.split(" ", 5);
                        if (f[0].equals("DONE")) {
                            done = true;
                            break;
                        } else if (f[0].equals("STARTED") && f.length >= 2 && byKey.containsKey(f[1])) {
                            running = f[1];
                        } else if (f[0].equals("FINISHED") && f.length == 5 && byKey.containsKey(f[1])
                                && !results.containsKey(f[1])) {
                            String message = new String(Base64.getDecoder().decode(f[4]), StandardCharsets.UTF_8);
                            results.put(f[1], new TestResult(byKey.get(f[1]), f[2].equals("PASSED"), message,
                                    Long.parseLong(f[3])));
                            running = null;
                        }
                    }
                }
            } else {
                killed = child.isAlive();
            }
            if (!child.waitFor(killed ? 0 : 5, TimeUnit.SECONDS)) {
                killed = true;
            }
            killTree(child);
            output.awaitEnd();
            log.append(output.text());
            if (running != null && !results.containsKey(running)) {
                String why = killed
                        ? "killed: its test class ran over its time limit (" + limits.testClass().toSeconds() + " s) during this test"
                        : "the test JVM ended during this test (System.exit, Runtime.halt, out of memory or a crash), exit status "
                          + child.exitValue();
                results.put(running, new TestResult(byKey.get(running), false, why, 0));
            } else if (!done && !killed && events != null) {
                // Ended between tests: nothing to blame on one test; the next child runs the rest.
                log.append("\n[grader] the test JVM ended between tests, exit status ").append(child.exitValue()).append('\n');
            }
        }
    }

    /** Kills a process and everything it started, children first. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a child's output to its end, keeping the first {@link #KEPT_OUTPUT} bytes. */
    static final class Output implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long total;
        private final java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);

        Output(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[16384];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (this) {
                        int room = Math.max(0, KEPT_OUTPUT - kept.size());
                        kept.write(buffer, 0, Math.min(room, n));
                        total += n;
                    }
                }
            } catch (IOException e) {
                // the child is gone
            } finally {
                end.countDown();
            }
        }

        void awaitEnd() throws InterruptedException {
            end.await(5, TimeUnit.SECONDS);
        }

        synchronized String text() {
            String text = kept.toString(StandardCharsets.UTF_8);
            return total > KEPT_OUTPUT ? text + "\n[grader] ... " + (total - KEPT_OUTPUT) + " more bytes of output not kept\n" : text;
        }
    }
}
