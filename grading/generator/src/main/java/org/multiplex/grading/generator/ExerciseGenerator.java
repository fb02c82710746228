package org.multiplex.grading.generator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes {@code exercises/} from {@code solutions/}: the same files, with every marked solution
 * region replaced by a stub that throws the kit's {@code Todo}.
 *
 * <p>Exits 0 when {@code exercises/} was up to date, 1 when it was not (and has been regenerated,
 * unless {@code --check}), 2 when the markers are wrong or a file cannot be read or written.
 * Exiting 1 after regenerating is what makes a build with stale committed exercises fail once,
 * leaving the fresh ones to review and commit.
 */
@Command(name = "exercise-generator", mixinStandardHelpOptions = true,
        description = "Writes exercises/ from solutions/, replacing each marked solution region by a stub.")
public final class ExerciseGenerator implements Callable<Integer> {

    /** Exit status: exercises/ was up to date. */
    static final int UP_TO_DATE = 0;
    /** Exit status: exercises/ was out of date. */
    static final int OUT_OF_DATE = 1;
    /** Exit status: nothing could be generated. */
    static final int FAILED = 2;

    @Option(names = "--solutions", required = true, paramLabel = "DIR", description = "The solutions folder to read.")
    private Path solutions;

    @Option(names = "--exercises", required = true, paramLabel = "DIR", description = "The exercises folder to write.")
    private Path exercises;

    @Option(names = "--check", description = "Write nothing; only list the files that differ.")
    private boolean check;

    @Spec
    private CommandSpec spec;

    /**
     * Runs the generator and exits with its status.
     *
     * @param args the command line: {@code --solutions DIR --exercises DIR [--check]}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ExerciseGenerator()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // A missing solutions folder would otherwise read as "no files", and delete every exercise.
        if (!Files.isDirectory(solutions)) {
            err.println("no solutions folder at " + solutions + ": give --solutions the course's solutions/ folder");
            return FAILED;
        }
        String shown = Names.shown(exercises) + "/";
        try {
            Generation generation = Generation.plan(solutions, exercises);
            int changed = generation.changes().size();
            if (changed == 0) {
                out.println(shown + " is up to date (" + files(generation.fileCount()) + ").");
                return UP_TO_DATE;
            }
            if (check) {
                generation.changes().forEach(c -> out.println(verb(c, "differs ", "stale ") + shown + c.path()));
                err.println(shown + " is out of date (" + files(changed) + "): run the generator without --check to"
                        + " regenerate it.");
                return OUT_OF_DATE;
            }
            generation.apply(exercises, c -> out.println(verb(c, "wrote ", "deleted ") + shown + c.path()));
            err.println(shown + " was out of date and has been regenerated (" + files(changed) + "). Review the change"
                    + " and commit it with the solution.");
            return OUT_OF_DATE;
        } catch (MarkerException e) {
            e.problems().forEach(err::println);
            err.println(e.problems().size() + " problem(s) with the solution markers; nothing was written to " + shown
                    + ". Fix them and run again.");
            return FAILED;
        } catch (IOException e) {
            err.println("cannot generate " + shown + ": " + e);
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String files(int count) {
        return count == 1 ? "1 file" : count + " files";
    }

    private static String verb(Change change, String write, String delete) {
        return change instanceof Change.Write ? write : delete;
    }
}
