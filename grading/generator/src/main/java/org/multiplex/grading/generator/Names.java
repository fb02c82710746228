package org.multiplex.grading.generator;

import java.nio.file.Path;

/** Names folders in messages the way the course does: {@code exercises}, not a full path. */
final class Names {

    private Names() {
    }

    /**
     * Returns the name to show for a folder.
     *
     * @param dir the folder, however it was given
     * @return its last name, as {@code exercises}
     */
    static String shown(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }
}
