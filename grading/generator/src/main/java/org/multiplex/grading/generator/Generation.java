package org.multiplex.grading.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What it takes to bring {@code exercises/} up to date with {@code solutions/}. Every file is
 * made, and every marker checked, before anything is written: bad markers anywhere leave the
 * whole tree untouched.
 */
final class Generation {

    private final int fileCount;
    private final List<Change> changes;

    private Generation(int fileCount, List<Change> changes) {
        this.fileCount = fileCount;
        this.changes = List.copyOf(changes);
    }

    /**
     * Works out the changes, writing nothing.
     *
     * @param solutions the solutions folder
     * @param exercises the exercises folder; it need not exist
     * @return the changes to make
     * @throws MarkerException if any solution file's markers are wrong; it lists every problem in
     *                         every file
     * @throws IOException     if a file cannot be read
     */
    static Generation plan(Path solutions, Path exercises) throws MarkerException, IOException {
        SortedMap<String, byte[]> wanted = exerciseFiles(solutions);
        SortedSet<String> existing = Tree.files(exercises);
        List<Change> changes = new ArrayList<>();
        for (String path : existing) {
            if (!wanted.containsKey(path)) {
                changes.add(new Change.Delete(path));
            }
        }
        for (Map.Entry<String, byte[]> file : wanted.entrySet()) {
            String path = file.getKey();
            if (!existing.contains(path) || !Arrays.equals(Files.readAllBytes(exercises.resolve(path)), file.getValue())) {
                changes.add(new Change.Write(path, file.getValue()));
            }
        }
        changes.sort(Comparator.comparing(Change::path));
        return new Generation(wanted.size(), changes);
    }

    private static SortedMap<String, byte[]> exerciseFiles(Path solutions) throws MarkerException, IOException {
        String shown = Names.shown(solutions);
        SortedMap<String, byte[]> files = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        for (String path : Tree.files(solutions)) {
            try {
                files.put(path, ExerciseFile.of(shown + "/" + path, path, Files.readAllBytes(solutions.resolve(path))));
            } catch (MarkerException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new MarkerException(problems);
        }
        return files;
    }

    /** Returns how many files {@code exercises/} holds once up to date. */
    int fileCount() {
        return fileCount;
    }

    /** Returns the changes, sorted by path; none when {@code exercises/} is up to date. */
    List<Change> changes() {
        return changes;
    }

    /**
     * Makes the changes.
     *
     * @param exercises the exercises folder, as given to {@link #plan}
     * @param done      told of each change once it is made
     * @throws IOException if a file cannot be written or deleted
     */
    void apply(Path exercises, Consumer<Change> done) throws IOException {
        // Deleting first lets a file take the place of a stale folder, and a folder that of a
        // stale file.
        for (Change change : changes) {
            if (change instanceof Change.Delete) {
                Files.delete(exercises.resolve(change.path()));
                done.accept(change);
            }
        }
        Tree.pruneEmptyDirectories(exercises);
        for (Change change : changes) {
            if (change instanceof Change.Write write) {
                Path target = exercises.resolve(write.path());
                Files.createDirectories(target.getParent());
                Files.write(target, write.content());
                done.accept(change);
            }
        }
    }
}
