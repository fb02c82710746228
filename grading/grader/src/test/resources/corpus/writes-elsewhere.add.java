package org.multiplex.blocking;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/** Not the student's work: leaves a file wherever it should not be able to write. */
final class WritesElsewhere {

    static final String MARK = "writes-elsewhere-was-here.txt";

    private WritesElsewhere() {
    }

    static void everywhere() {
        Set<Path> targets = new LinkedHashSet<>();
        // The course (the folder that holds the grader) and ~/.m2, found through the class path.
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            for (Path p = Path.of(entry); p != null; p = p.getParent()) {
                if (p.endsWith("grading/grader")) {
                    targets.add(p.getParent().getParent());
                }
                if (p.endsWith(".m2")) {
                    targets.add(p);
                }
            }
        }
        // The neighbours: every workspace beside this one, and one known by name.
        Path mine = Path.of(System.getProperty("user.dir")).getParent();
        targets.add(mine.resolveSibling("reference"));
        try (Stream<Path> others = Files.list(mine.getParent())) {
            others.filter(p -> !p.equals(mine)).forEach(targets::add);
        } catch (IOException e) {
            System.out.println("writes-elsewhere: no neighbours: " + e);
        }
        for (Path target : targets) {
            try {
                Files.writeString(target.resolve(MARK), "a submission wrote this\n");
                System.out.println("writes-elsewhere: wrote into " + target);
            } catch (IOException e) {
                System.out.println("writes-elsewhere: could not write into " + target + ": " + e);
            }
        }
    }
}
