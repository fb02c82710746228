package org.multiplex.grading.grader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes a class folder of made-up submissions to try the grader on: reference code, skeletons,
 * partial work (some files taken from the reference code), a git repository, and the hostile and
 * broken corpus of {@code grading/grader/src/test/resources/corpus}.
 */
@Command(name = "sample-class", mixinStandardHelpOptions = true,
        description = "Writes a class folder of sample submissions (reference, skeleton, partial, hostile).")
final class SampleClass implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FOLDER", description = "an empty or new folder")
    String target;

    @Override
    public Integer call() throws Exception {
        Path to = Grader.path(target);
        int n = write(Course.here(), to);
        System.out.println(n + " submissions written to " + to);
        return 0;
    }

    static int write(Course course, Path to) throws IOException, InterruptedException {
        Path root = course.root();
        Files.createDirectories(to);
        int count = 0;
        for (String name : List.of("reference-a", "reference-b")) {
            Workspace.copyTree(root.resolve("solutions"), to.resolve(name).resolve("exercises"));
            count++;
        }
        Workspace.copyTree(root.resolve("exercises"), to.resolve("skeleton").resolve("exercises"));
        Workspace.copyTree(root.resolve("solutions"), to.resolve("lessons-folder-only"));
        Path repo = to.resolve("git-student");
        Workspace.copyTree(root.resolve("solutions"), repo.resolve("exercises"));
        git(repo, "init", "-q");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=Student", "-c", "user.email=student@example.invalid", "commit", "-q", "-m", "my work");
        count += 3;
        List<Path> solutionFiles;
        try (Stream<Path> walk = Files.walk(root.resolve("solutions"))) {
            solutionFiles = walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.getFileName().toString().equals("Demo.java")).sorted().toList();
        }
        Random random = new Random(2026);
        for (int i = 1; i <= 8; i++) {
            Path student = to.resolve("partial-" + i);
            Workspace.copyTree(root.resolve("exercises"), student.resolve("exercises"));
            List<Path> shuffled = new ArrayList<>(solutionFiles);
            java.util.Collections.shuffle(shuffled, random);
            for (Path f : shuffled.subList(0, 3 * i)) {
                Path rel = root.resolve("solutions").relativize(f);
                Files.copy(f, student.resolve("exercises").resolve(rel.toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            count++;
        }
        Path corpus = root.resolve("grading/grader/src/test/resources/corpus");
        for (Path edit : Corpus.cases(corpus)) {
            Corpus.apply(course, edit, to.resolve(Corpus.name(edit)));
            count++;
        }
        return count;
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + dir);
        }
    }
}
