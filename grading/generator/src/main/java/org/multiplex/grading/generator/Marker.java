package org.multiplex.grading.generator;

/** What a line of a Java file is to the generator: a marker, a broken marker, or plain code. */
sealed interface Marker {

    /**
     * Opens a region.
     *
     * @param indent the white space before the marker
     * @param lesson the lesson part of the task number
     * @param task   the whole task number, as written: {@code "1.2"}
     * @param text   what the student should write, stripped
     */
    record Begin(String indent, int lesson, String task, String text) implements Marker {
    }

    /** Closes a region. */
    record End() implements Marker {
    }

    /**
     * Looks like a marker but is not one. Never ignored: a marker the generator skipped would
     * leave a solution in the exercises.
     *
     * @param reason what is wrong and what to write instead
     */
    record Malformed(String reason) implements Marker {
    }

    /** Any other line. */
    record Plain() implements Marker {
    }
}
