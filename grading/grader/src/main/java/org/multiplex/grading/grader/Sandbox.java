package org.multiplex.grading.grader;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where a submission's processes run: its build and its test JVMs. On Linux with bubblewrap
 * ({@code bwrap}), each in a sandbox of its own:
 *
 * <ul>
 *   <li>a user namespace, as the unprivileged user 65534 with no capabilities;</li>
 *   <li>a PID namespace whose first process dies with the grader's: when the test JVM ends or is
 *       killed, everything it started ends with it, double-forked orphans included;</li>
 *   <li>a network namespace with loopback only: servers and clients of one test talk, nothing
 *       reaches another host, nor the grader (which hears the child on a Unix socket);</li>
 *   <li>a read-only view of the machine, with a private {@code /tmp}, the course, the folder of
 *       all workspaces, the output folder and the home folder blanked out, and only what the run
 *       needs put back: its own workspace (writable), the JDK, Maven, the local Maven repository
 *       and its class path (read-only).</li>
 * </ul>
 *
 * Elsewhere, or when bwrap is missing or does not work here, processes run as the grader's own,
 * and {@link #warning()} says what is then not contained.
 */
final class Sandbox {

    /** The user and group the sandbox runs as: "nobody". */
    private static final String NOBODY = "65534";
    private static final Path TMP = Path.of("/tmp");

    private final String bwrap;
    private final String warning;
    private final List<Path> blanked;
    private final List<Path> tools;

    private Sandbox(String bwrap, String warning, List<Path> blanked, List<Path> tools) {
        this.bwrap = bwrap;
        this.warning = warning;
        this.blanked = blanked;
        this.tools = tools;
    }

    /**
     * Finds out how this machine contains submissions.
     *
     * @param blanked folders no submission may see: the course, the workspaces' folder, the output
     *                folder; the home folder is added
     */
    static Sandbox detect(List<Path> blanked) {
        List<Path> hidden = new ArrayList<>(blanked);
        // A private /tmp, and no home folder: nothing of the grader's user in sight.
        hidden.add(TMP);
        hidden.add(Path.of(System.getProperty("user.home")));
        hidden.replaceAll(p -> p.toAbsolutePath().normalize());
        List<Path> tools = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        maven().ifPresent(tools::add);
        // What a sandbox cannot run without stays visible: never blank a folder that holds a tool.
        hidden.removeIf(h -> !Files.isDirectory(h) || h.getNameCount() == 0
                || tools.stream().anyMatch(t -> t.startsWith(h.toAbsolutePath().normalize())));
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return uncontained("not Linux");
        }
        Optional<String> bwrap = onPath("bwrap");
        if (bwrap.isEmpty()) {
            return uncontained("no bwrap on the PATH (install bubblewrap)");
        }
        Sandbox sandbox = new Sandbox(bwrap.get(), null, hidden, tools);
        String trial = sandbox.tryOnce();
        return trial == null ? sandbox : uncontained("bwrap does not work here: " + trial);
    }

    private static Sandbox uncontained(String why) {
        return new Sandbox(null, "WARNING: submissions are NOT contained (" + why + "): their code runs as the grader's"
                + " user, can read the course and its hidden suites' sources, write anywhere the grader can,"
                + " reach the network, and leave processes running after grading.", List.of(), List.of());
    }

    /** Returns whether submissions run contained. */
    boolean contained() {
        return bwrap != null;
    }

    /** Returns a warning line naming what is not contained, or null when everything is. */
    String warning() {
        return warning;
    }

    /**
     * Returns a command that runs the given one in a sandbox, or the command itself when there is
     * none.
     *
     * @param command   the command
     * @param workspace the submission's workspace: its working folder, the only one it may write
     * @param visible   what else it may read: class path entries, the local Maven repository,
     *                  the report socket's folder
     */
    List<String> wrap(List<String> command, Path workspace, List<Path> visible) {
        if (bwrap == null) {
            return command;
        }
        List<String> line = new ArrayList<>(List.of(bwrap,
                "--unshare-user", "--uid", NOBODY, "--gid", NOBODY,
                "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
        // Parents before children: a blank folder first, then what goes back into it.
        for (Path p : sorted(blanked)) {
            line.addAll(List.of("--tmpfs", p.toString()));
        }
        for (Path p : sorted(visible)) {
            if (Files.exists(p) && blanked.stream().anyMatch(p::startsWith) && !p.startsWith(workspace)) {
                line.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        line.addAll(List.of("--bind", workspace.toString(), workspace.toString()));
        // A blanked folder is read-only too (what was put back keeps its own mode); only /tmp,
        // private to this sandbox, takes what a process writes.
        for (Path p : sorted(blanked)) {
            if (!p.equals(TMP)) {
                line.addAll(List.of("--remount-ro", p.toString()));
            }
        }
        line.addAll(List.of("--chdir", workspace.toString(), "--"));
        line.addAll(command);
        return line;
    }

    /** Returns the local Maven repository's folder, {@code ~/.m2}, which the builds read. */
    static Path m2() {
        return Path.of(System.getProperty("user.home"), ".m2");
    }

    private static List<Path> sorted(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).distinct()
                .sorted(Comparator.comparingInt(Path::getNameCount)).toList();
    }

    /** Runs {@code true} in a sandbox like a test JVM's; returns what went wrong, or null. */
    private String tryOnce() {
        try {
            Path dir = Files.createTempDirectory("multiplex-sandbox");
            try {
                Process p = new ProcessBuilder(wrap(List.of("true"), dir, List.of()))
                        .redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "a trial run did not end";
                }
                return p.exitValue() == 0 ? null : out.isEmpty() ? "exit status " + p.exitValue() : out;
            } finally {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Returns Maven's installation folder, from the mvn on the PATH. */
    private static Optional<Path> maven() {
        return onPath("mvn").map(mvn -> {
            try {
                return Path.of(mvn).toRealPath().getParent().getParent();
            } catch (IOException e) {
                return null;
            }
        });
    }

    private static Optional<String> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath().toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return contained() ? "contained (bwrap: own user, PID and network namespaces, read-only view)" : warning;
    }
}
