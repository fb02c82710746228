package org.multiplex.grading.grader;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs graded tests of one lesson in a child JVM, with a heap limit and a wall-clock limit, in
 * the submission's sandbox, and collects their results from a Unix socket the grader opened for
 * that child, checking every line against the protocol (see {@link Report}).
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
    private final Sandbox sandbox;
    private final List<Path> readable;

    /**
     * @param classPath the child's class path: suite, lesson, kit, libraries and this grader
     * @param workDir   the child's working folder, the submission's workspace
     * @param limits    time and memory limits
     * @param pin       what goes before the child's command to keep it to some cores (see
     *                  {@link Places}); empty for none
     * @param sandbox   what contains the child
     */
    ChildJvm(List<String> classPath, Path workDir, Limits limits, List<String> pin, Sandbox sandbox) {
        this.classPath = classPath;
        this.workDir = workDir;
        this.limits = limits;
        this.pin = pin;
        this.sandbox = sandbox;
        // Its class path is all the child may read of what the sandbox blanks out: the hidden
        // suite's classes, the grader's, the libraries in the local Maven repository.
        this.readable = classPath.stream().map(Path::of).toList();
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
        // A Unix socket, in a folder of its own: in its sandbox the child has no network to the
        // grader but loopback of its own, and the socket's path is short whatever the workspace's.
        Path channelDir = Files.createTempDirectory("multiplex-report");
        Path socket = channelDir.resolve("r");
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             Selector accepting = Selector.open()) {
            channel.bind(UnixDomainSocketAddress.of(socket), 1);
            List<String> command = new ArrayList<>(pin);
            // The socket's folder is read-only in the sandbox: connecting needs no more.
            List<Path> visible = new ArrayList<>(readable);
            visible.add(channelDir);
            command.addAll(sandbox.wrap(javaCommand(socket, byKey.keySet()), workDir, visible));
            Files.createDirectories(workDir.resolve("tmp"));
            Process child = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            child.getOutputStream().close();
            Output output = new Output(child.getInputStream());
            Thread.ofPlatform().daemon().name("child-output").start(output);
            long deadline = System.nanoTime() + limit.toNanos();
            Report report = new Report(byKey, results);
            boolean killed = false;
            channel.configureBlocking(false);
            channel.register(accepting, SelectionKey.OP_ACCEPT);
            SocketChannel events = null;
            while (events == null && System.nanoTime() < deadline && child.isAlive()) {
                accepting.select(1000);
                events = channel.accept();
            }
            // Only this first connection counts: the socket goes, and the listening channel closes
            // with this block.
            Files.deleteIfExists(socket);
            if (events != null) {
                events.configureBlocking(true);
                Lines lines = new Lines(events);
                Thread.ofPlatform().daemon().name("child-report").start(lines);
                try (SocketChannel in = events) {
                    while (!report.over()) {
                        long left = deadline - System.nanoTime();
                        String line = left <= 0 ? null : lines.next(left);
                        if (line == null) {
                            killed = true;
                            break;
                        }
                        if (line == Lines.END) {
                            break;
                        }
                        report.hear(line);
                    }
                }
            } else {
                killed = child.isAlive();
            }
            if (report.refused() != null) {
                killed = true;
                log.append("\n[grader] refused the test JVM's report: ").append(report.refused())
                        .append("; nothing it reported counts\n");
            }
            if (!child.waitFor(killed ? 0 : 5, TimeUnit.SECONDS)) {
                killed = true;
            }
            killTree(child);
            output.awaitEnd();
            log.append(output.text());
            String running = report.running();
            if (report.refused() != null) {
                String why = "the test JVM's report broke the grader's protocol (" + report.refused()
                        + "): nothing it reported counts";
                for (String key : report.heard()) {
                    results.put(key, new TestResult(byKey.get(key), false, why, 0));
                }
            } else if (running != null && !results.containsKey(running)) {
                String why = killed
                        ? "killed: its test class ran over its time limit (" + limits.testClass().toSeconds() + " s) during this test"
                        : "the test JVM ended during this test (System.exit, Runtime.halt, out of memory or a crash), exit status "
                          + child.exitValue();
                results.put(running, new TestResult(byKey.get(running), false, why, 0));
            } else if (!report.done() && !killed && events != null) {
                // Ended between tests: nothing to blame on one test; the next child runs the rest.
                log.append("\n[grader] the test JVM ended between tests, exit status ").append(child.exitValue()).append('\n');
            }
        } finally {
            // Uncontained, a child may have left files there.
            Workspace.deleteTree(channelDir);
        }
    }

    /**
     * Returns the child's command: no way in for an agent or native code, whatever the submission
     * tries (no attaching, no agents loaded later, no native access, no raw memory access, no
     * opened JDK internals), and the tests to run.
     */
    private List<String> javaCommand(Path socket, Collection<String> keys) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + limits.heapMegabytes() + "m", "-Xss1m",
                "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-XX:+DisableAttachMechanism", "-XX:-EnableDynamicAgentLoading",
                "--illegal-native-access=deny", "--sun-misc-unsafe-memory-access=deny",
                // Lesson 5's continuations; an export, not an opening: no deep reflection into the JDK.
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
                socket.toString()));
        command.addAll(keys);
        return command;
    }

    /**
     * What a child JVM reports, checked line by line against the grader's protocol: {@code STARTED
     * key} for a test it asked for and that has not run, then {@code FINISHED key outcome millis
     * message} for that same test, and {@code DONE} at the end. Any other line (a verdict for a
     * test that is not running, a second verdict, a test it did not ask for) is refused, and with
     * it everything this child reported: a line that ChildMain's reporter never writes is a forgery.
     */
    static final class Report {
        private final Map<String, GradedTest> asked;
        private final Map<String, TestResult> results;
        private final List<String> heard = new ArrayList<>();
        private String running;
        private boolean done;
        private String refused;

        Report(Map<String, GradedTest> asked, Map<String, TestResult> results) {
            this.asked = asked;
            this.results = results;
        }

        void hear(String line) {
            String[] f = line.split(" ", 5);
            if (f[0].equals("DONE") && f.length == 1 && running == null) {
                done = true;
            } else if (f[0].equals("STARTED") && f.length == 2 && running == null && asked.containsKey(f[1])
                    && !heard.contains(f[1]) && !results.containsKey(f[1])) {
                running = f[1];
                heard.add(f[1]);
            } else if (f[0].equals("FINISHED") && f.length == 5 && f[1].equals(running) && f[3].matches("\\d{1,12}")
                    && (f[2].equals("PASSED") || f[2].equals("FAILED"))) {
                String message;
                try {
                    message = new String(Base64.getDecoder().decode(f[4]), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    refused = "a message that is not base64";
                    return;
                }
                results.put(f[1], new TestResult(asked.get(f[1]), f[2].equals("PASSED"), message, Long.parseLong(f[3])));
                running = null;
            } else {
                refused = "unexpected line '" + (line.length() > 120 ? line.substring(0, 120) + "..." : line) + "'"
                        + (running == null ? " while no test ran" : " while " + running + " ran");
            }
        }

        /** Returns whether nothing more is to be heard: DONE, or a refused line. */
        boolean over() {
            return done || refused != null;
        }

        boolean done() {
            return done;
        }

        /** Returns the test that started and has no verdict yet, or null. */
        String running() {
            return running;
        }

        /** Returns why the report was refused, or null. */
        String refused() {
            return refused;
        }

        /** Returns the tests this child reported on. */
        List<String> heard() {
            return heard;
        }
    }

    /** Reads a child's report line by line, in a thread of its own, so that the grader can wait with a deadline. */
    static final class Lines implements Runnable {
        /** Stands for the end of the report. */
        static final String END = new String("END");
        private final SocketChannel channel;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();

        Lines(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone, or the grader closed the channel
            } finally {
                lines.add(END);
            }
        }

        /** Returns the next line, {@link #END} at the end, or null when none came within the time left. */
        String next(long nanos) throws InterruptedException {
            return lines.poll(nanos, TimeUnit.NANOSECONDS);
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
