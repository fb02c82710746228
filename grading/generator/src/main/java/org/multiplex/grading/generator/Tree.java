package org.multiplex.grading.generator;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.SortedSet;
import java.util.TreeSet;

/** The files of a course tree, leaving out what builds write into it. */
final class Tree {

    /** The folder Maven builds into, never part of a tree. */
    static final String BUILD_OUTPUT = "target";

    private Tree() {
    }

    /**
     * Returns the files under a folder, outside every {@code target/} folder.
     *
     * @param root the folder; it need not exist
     * @return their paths relative to it, with {@code /} between names, sorted so that every run
     *         reads and writes in the same order
     * @throws IOException if the folder cannot be read
     */
    static SortedSet<String> files(Path root) throws IOException {
        SortedSet<String> files = new TreeSet<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return isBuildOutput(root, dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files.add(relative(root, file));
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    /**
     * Removes the empty folders under a folder, outside every {@code target/} folder; the folder
     * itself stays.
     *
     * @param root the folder
     * @throws IOException if a folder cannot be read or removed
     */
    static void pruneEmptyDirectories(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return isBuildOutput(root, dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                // Children come first, so a folder that held only empty folders is empty by now.
                if (!dir.equals(root) && isEmpty(dir)) {
                    Files.delete(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static boolean isBuildOutput(Path root, Path dir) {
        return !dir.equals(root) && dir.getFileName().toString().equals(BUILD_OUTPUT);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
