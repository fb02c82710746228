package org.multiplex.grading.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the pitfall catalogues: every pitfall of the picked lessons, put into a copy of the
 * reference code, against its lesson's graded tests; and the reference code itself. Used by
 * {@link PitfallsAreCaughtTest} in the build, and on its own by a maintainer who writes a
 * catalogue entry:
 *
 * <pre>
 * java -Dcourse.root=. -Dkit.classpath=grading/exercise-check/target/kit.classpath \
 *      -cp grading/exercise-check/target/test-classes:$(cat grading/exercise-check/target/kit.classpath) \
 *      org.multiplex.grading.check.PitfallCheck [--whole] [02-select | 02-select/selected-keys-kept ...]
 * </pre>
 */
final class PitfallCheck {

    /**
     * What a run found.
     *
     * @param catalogues the catalogues that were read, by lesson
     * @param unreadable catalogues that could not be read or checked, by lesson, with why
     * @param outcomes   one per pitfall run or listed as uncatchable
     * @param references the reference code's run, by lesson
     * @param table      the printed table
     */
    record Report(Map<String, PitfallCatalogue> catalogues, Map<String, String> unreadable,
                  List<PitfallRun.Outcome> outcomes, Map<String, PitfallRun.Outcome> references, String table) {

        boolean allGood() {
            return unreadable.isEmpty()
                    && outcomes.stream().allMatch(o -> o.pitfall().uncatchable() != null || o.caught())
                    && references.values().stream().allMatch(r -> r.problem() == null && r.results().fullMarks());
        }
    }

    private PitfallCheck() {
    }

    public static void main(String[] args) throws Exception {
        List<String> picked = new ArrayList<>();
        boolean whole = false;
        for (String a : args) {
            if (a.equals("--whole")) {
                whole = true;
            } else {
                picked.add(a);
            }
        }
        Report report = run(picked, whole, Path.of("grading/exercise-check/target/pitfalls"));
        report.unreadable().forEach((slug, why) -> System.out.println(slug + ": " + why));
        System.out.println(report.table());
        System.exit(report.allGood() ? 0 : 1);
    }

    /**
     * Runs the catalogues.
     *
     * @param picked lessons ({@code 02-select}) or entries ({@code 02-select/selected-keys-kept});
     *               empty for all
     * @param whole  run each lesson's whole suite, not only the pitfall's task's tests
     * @param work   a folder for the changed code and the runs' results
     */
    static Report run(List<String> picked, boolean whole, Path work)
            throws IOException, InterruptedException, ExecutionException {
        Files.createDirectories(work);
        Map<String, PitfallCatalogue> catalogues = new LinkedHashMap<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (String slug : Lessons.graded()) {
            if (!picked.isEmpty() && picked.stream().noneMatch(p -> p.equals(slug) || p.startsWith(slug + "/"))) {
                continue;
            }
            try {
                catalogues.put(slug, PitfallCatalogue.read(slug));
            } catch (IOException | RuntimeException e) {
                unreadable.put(slug, PitfallCatalogue.file(slug) + ": " + e.getMessage());
            }
        }
        int workers = Integer.getInteger("pitfalls.workers", Math.min(2, Runtime.getRuntime().availableProcessors()));
        List<Future<PitfallRun.Outcome>> futures = new ArrayList<>();
        Map<String, Future<PitfallRun.Outcome>> references = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers))) {
            for (PitfallCatalogue c : catalogues.values()) {
                Optional<Path> hidden;
                try {
                    hidden = PitfallRun.compileHidden(c.lesson(), work);
                } catch (IllegalStateException e) {
                    unreadable.put(c.lesson(), e.getMessage());
                    continue;
                }
                boolean lessonPicked = picked.isEmpty() || picked.contains(c.lesson());
                if (lessonPicked) {
                    references.put(c.lesson(), pool.submit(() -> PitfallRun.run(c.lesson(), null, whole, hidden, work)));
                }
                for (Pitfall p : c.pitfalls()) {
                    if (p.uncatchable() == null && (lessonPicked || picked.contains(c.lesson() + "/" + p.id()))) {
                        futures.add(pool.submit(() -> PitfallRun.run(c.lesson(), p, whole, hidden, work)));
                    }
                }
            }
        }
        List<PitfallRun.Outcome> outcomes = new ArrayList<>();
        for (Future<PitfallRun.Outcome> f : futures) {
            outcomes.add(f.get());
        }
        for (PitfallCatalogue c : catalogues.values()) {
            if (picked.isEmpty() || picked.contains(c.lesson())) {
                c.pitfalls().stream().filter(p -> p.uncatchable() != null)
                        .forEach(p -> outcomes.add(new PitfallRun.Outcome(c.lesson(), p, null, null, 0)));
            }
        }
        Map<String, PitfallRun.Outcome> referenceOutcomes = new LinkedHashMap<>();
        for (var e : references.entrySet()) {
            referenceOutcomes.put(e.getKey(), e.getValue().get());
        }
        String table = PitfallTable.render(catalogues, outcomes, referenceOutcomes, whole);
        Files.writeString(work.resolve(whole ? "table-whole.txt" : "table.txt"), table);
        return new Report(catalogues, unreadable, outcomes, referenceOutcomes, table);
    }
}
