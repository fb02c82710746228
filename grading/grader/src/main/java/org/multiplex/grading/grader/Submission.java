package org.multiplex.grading.grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a submission is and what it is: a student's copy of the course, or only its
 * {@code exercises} folder; a folder, or a git repository (cloned, so only what was committed counts).
 *
 * @param student the student's name
 * @param source  the folder, repository folder or repository URL
 */
record Submission(String student, String source) {

    /** Returns whether a folder is one submission rather than a folder of them. */
    static boolean isSubmission(Path dir) {
        return Files.isDirectory(dir.resolve("exercises")) || hasLessons(dir) || Files.exists(dir.resolve(".git"));
    }

    /** Returns the submissions of a class folder: its subfolders, in name order. */
    static List<Submission> inClass(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted()
                    .map(d -> new Submission(d.getFileName().toString(), d.toString())).toList();
        }
    }

    /** Returns a submission named after its folder or repository. */
    static Submission of(String source) {
        String name = source.replaceAll("/+$", "").replaceAll("\\.git$", "");
        return new Submission(name.substring(name.lastIndexOf('/') + 1), source);
    }

    /**
     * Returns the submission's {@code exercises} folder, cloning it into a folder first when it
     * is a repository.
     *
     * @param cloneInto an empty folder to clone into
     */
    Path exercises(Path cloneInto) throws IOException, InterruptedException {
        Path dir = Path.of(source);
        boolean repository = source.contains("://") || source.endsWith(".git") || Files.exists(dir.resolve(".git"));
        if (repository) {
            String url = Files.isDirectory(dir) ? dir.toAbsolutePath().toUri().toString() : source;
            Process git = new ProcessBuilder("git", "clone", "-q", "--depth", "1", url, cloneInto.toString())
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes());
            if (!git.waitFor(120, TimeUnit.SECONDS) || git.exitValue() != 0) {
                ChildJvm.killTree(git);
                throw new IOException("cannot clone " + source + ": " + out.strip());
            }
            dir = cloneInto;
        }
        if (Files.isDirectory(dir.resolve("exercises"))) {
            return dir.resolve("exercises");
        }
        if (hasLessons(dir)) {
            return dir;
        }
        throw new IOException("no exercises/ folder and no lesson folder (NN-slug) in " + source);
    }

    private static boolean hasLessons(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(d -> Files.isDirectory(d) && d.getFileName().toString().matches("\\d\\d-.+"));
        } catch (IOException e) {
            return false;
        }
    }
}
