package org.multiplex.measure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server in a JVM of its own, started by the lab, stopped when the lab is done with it.
 *
 * <p>Every server gets the same JVM: the lab's own {@code java} (the course's JDK), the lab's
 * class path, and the same options, so that no server is measured with an advantage.
 */
final class ServerProcess implements AutoCloseable {

    /**
     * The options every server's JVM gets. The heap has a fixed size and every page of it is
     * touched at start, so that it is all resident from the first moment: what the resident set
     * gains later is memory outside the heap (thread stacks, direct buffers), never heap pages
     * touched for the first time.
     */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC",
            "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");

    /** ServerMain's line; what a failing thread prints on standard error may follow it on the same line. */
    private static final Pattern LISTENING = Pattern.compile(" listening on ([^\\s:]+):(\\d+)");
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> log = new ArrayList<>();
    private final PrintWriter questions;
    private final InetSocketAddress address;
    private final Path errors;

    private ServerProcess(Process process, Path errors) throws IOException {
        this.process = process;
        this.errors = errors;
        OutputStream stdin = process.getOutputStream();
        this.questions = new PrintWriter(stdin, true, StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("server-output-" + process.pid()).start(this::readOutput);
        this.address = awaitListening();
    }

    /**
     * Starts a server and waits until it listens.
     *
     * @param  contender the server
     * @param  cores     the core to run it on, if the lab pins processes to cores
     * @param  logFile   where its output goes
     * @return the running server
     * @throws IOException if it does not start, or does not say where it listens in time; the
     *                     message holds the last lines it printed
     */
    static ServerProcess start(Contender contender, Optional<Cores> cores, Path logFile) throws IOException {
        List<String> command = new ArrayList<>(cores.map(Cores::serverPrefix).orElse(List.of()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Probe.class.getName());
        command.add(contender.mainClass());
        command.add("--port");
        command.add("0");
        Files.createDirectories(logFile.getParent());
        // Standard error apart: a stub's stack trace must not break the line that says where it listens.
        Path errors = logFile.resolveSibling(logFile.getFileName().toString().replace(".log", ".err"));
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try {
            ServerProcess server = new ServerProcess(process, errors);
            server.logTo(logFile);
            return server;
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                synchronized (log) {
                    log.add(line);
                }
            }
        } catch (IOException e) {
            // The process has ended.
        }
    }

    private InetSocketAddress awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            String line;
            try {
                line = lines.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the server started");
            }
            if (line != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                throw new IOException("the server exited with status " + process.exitValue() + ": " + lastLines());
            }
        }
        throw new IOException("the server did not say where it listens within " + START_LIMIT.toSeconds() + " s: " + lastLines());
    }

    /** Returns what the server said last, and the first exception it printed, if any. */
    private String lastLines() {
        String last;
        synchronized (log) {
            last = log.isEmpty() ? "(no output)" : log.getLast();
        }
        try {
            for (String line : Files.readAllLines(errors, StandardCharsets.UTF_8)) {
                if (line.contains("Exception") || line.contains("Error")) {
                    return last + " ... " + line.strip();
                }
            }
        } catch (IOException e) {
            // No standard error to quote.
        }
        return last;
    }

    private void logTo(Path file) {
        Thread.ofPlatform().daemon().name("server-log-" + process.pid()).start(() -> {
            try {
                process.waitFor();
                Thread.sleep(100); // let the reader take the last lines
                synchronized (log) {
                    Files.write(file, log, StandardCharsets.UTF_8);
                }
            } catch (IOException | InterruptedException e) {
                // The log is a convenience: losing it loses no result.
            }
        });
    }

    /** Returns where the server listens. */
    InetSocketAddress address() {
        return address;
    }

    /**
     * Asks the server's JVM how much heap it uses after a collection, and the system how much
     * memory the process has resident.
     *
     * @return the heap in use and the resident set, in bytes; -1 for what could not be read
     */
    Memory memory() {
        long heap = -1;
        questions.println("memory");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        try {
            while (System.nanoTime() < deadline && heap < 0) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(Probe.HEAP_USED)) {
                    heap = Long.parseLong(line.substring(Probe.HEAP_USED.length()).strip());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Memory(heap, residentBytes());
    }

    /**
     * Returns the processor time the server's JVM has used so far, all its threads together, from
     * /proc; null where there is no /proc (not Linux).
     */
    Cpu cpu() {
        try {
            return cpu(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Processor time, in nanoseconds: in the process's own code (Java, and the JVM's) and in the
     * kernel, on its behalf (system calls, and the network stack's work that they do).
     *
     * @param user   time in the process's own code
     * @param system time in the kernel
     */
    record Cpu(long user, long system) {

        long total() {
            return user + system;
        }

        /** Returns the time used since an earlier reading. */
        Cpu since(Cpu earlier) {
            return new Cpu(user - earlier.user, system - earlier.system);
        }
    }

    /**
     * Returns the processor time the JIT's compiler threads of the server's JVM have used so far,
     * from /proc; -1 where there is no /proc (not Linux).
     */
    long compilerNanos() {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            long total = 0;
            for (Path task : tasks.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                // HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1"...; the kernel keeps 15 characters.
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.matches("C[12] CompilerThre.*")) {
                    total += cpu(stat).total();
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The user and system time in a line of /proc's stat, of a process or of one thread. */
    private static Cpu cpu(String stat) {
        // Fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new Cpu(ticksToNanos(f[11]), ticksToNanos(f[12]));
    }

    private static long ticksToNanos(String ticks) {
        return Long.parseLong(ticks) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** The unit of /proc's times: USER_HZ, 100 on every Linux that the course runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** Reads VmRSS from /proc; -1 where there is no /proc (not Linux). */
    private long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No /proc here.
        }
        return -1;
    }

    /**
     * Heap in use after a collection and resident set size, in bytes.
     *
     * @param heap     heap used; -1 if unknown
     * @param resident resident set; -1 if unknown
     */
    record Memory(long heap, long resident) {
    }

    /**
     * Kills the server's JVM and waits until it has gone. No server gets to close its
     * connections politely: a thread-per-connection server would take seconds to, and the lab
     * has measured what it came for. Killing the server before the clients close also leaves
     * the closing sockets' TIME_WAIT on its side, not on the lab's ephemeral ports.
     */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
