package org.multiplex.grading.generator;

import java.util.List;

/** Turns a solution module's {@code pom.xml} into the matching exercise module's. */
final class PomRewriter {

    private record Replacement(String from, String to) {
    }

    // Each names solutions in a way only the course's own poms do, so that nothing else in a pom
    // (a path, a comment) changes by accident.
    private static final List<Replacement> REPLACEMENTS = List.of(
            new Replacement("<artifactId>solutions", "<artifactId>exercises"),
            new Replacement("(solutions)", "(exercises)"),
            new Replacement("Multiplex solutions", "Multiplex exercises"),
            new Replacement("The reference code of every lesson",
                    "The exercise skeletons of every lesson, generated from solutions/"));

    private PomRewriter() {
    }

    /**
     * Returns the exercise version of a pom.
     *
     * @param pom a pom under {@code solutions/}
     * @return the same pom, naming the exercise modules instead of the solution modules
     */
    static String rewrite(String pom) {
        String out = pom;
        for (Replacement r : REPLACEMENTS) {
            out = out.replace(r.from(), r.to());
        }
        return out;
    }
}
