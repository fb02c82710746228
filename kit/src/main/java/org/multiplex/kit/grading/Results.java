package org.multiplex.kit.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The results of one run of graded items, as written to and read from JSON.
 *
 * @param tree  the tree the suite ran against, {@code solutions} or {@code exercises}
 * @param items every graded item, in the order the tests were planned
 */
public record Results(String tree, List<Item> items) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Returns the points earned. */
    public int score() {
        return items.stream().mapToInt(Item::earned).sum();
    }

    /** Returns the points that could be earned. */
    public int maxScore() {
        return items.stream().mapToInt(Item::points).sum();
    }

    /** Returns whether every item passed. */
    public boolean fullMarks() {
        return items.stream().allMatch(i -> i.outcome().earns());
    }

    /**
     * Writes the results, replacing the file in one step so that a reader never sees half of it.
     *
     * @param  file where to write
     * @throws IOException if the file cannot be written
     */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "results", ".tmp");
        JSON.writeValue(temp.toFile(), this);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads results written by {@link #write}.
     *
     * @param  file the JSON file
     * @return the results
     * @throws IOException if the file cannot be read or is not results
     */
    public static Results read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Results.class);
    }
}
