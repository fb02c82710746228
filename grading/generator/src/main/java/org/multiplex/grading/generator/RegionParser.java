package org.multiplex.grading.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the solution regions of one Java file and checks that a stub can replace each: the
 * markers balance, none nests, each task belongs to the file's lesson, and each region ends its
 * block.
 */
final class RegionParser {

    private final String file;
    private final Optional<LessonFolder> lesson;
    private final List<Line> lines;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Region> regions = new ArrayList<>();

    private RegionParser(String file, Optional<LessonFolder> lesson, List<Line> lines) {
        this.file = file;
        this.lesson = lesson;
        this.lines = lines;
    }

    /**
     * Returns the regions of a file.
     *
     * @param file   the file's name in messages
     * @param lesson the lesson folder the file lies in, if any
     * @param lines  the file's lines
     * @return its regions, in order; none for a file without markers
     * @throws MarkerException if any marker is wrong; it lists every problem found
     */
    static List<Region> parse(String file, Optional<LessonFolder> lesson, List<Line> lines) throws MarkerException {
        RegionParser parser = new RegionParser(file, lesson, lines);
        parser.run();
        if (!parser.problems.isEmpty()) {
            throw new MarkerException(parser.problems);
        }
        return List.copyOf(parser.regions);
    }

    private void run() {
        Marker.Begin open = null;
        int openedAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            switch (MarkerSyntax.classify(lines.get(i).text())) {
                case Marker.Plain _ -> {
                    // Code, inside a region or out of it: nothing to check.
                }
                case Marker.Malformed malformed -> {
                    // Past a broken marker, whether a region is open is a guess: stop here rather
                    // than report the consequences of that guess.
                    report(i, malformed.reason());
                    return;
                }
                case Marker.Begin begin -> {
                    if (open != null) {
                        report(i, "BEGIN SOLUTION " + begin.task() + " is inside the region of task " + open.task()
                                + " begun at line " + (openedAt + 1)
                                + ": regions cannot nest; end that region with `// END SOLUTION` before this line");
                        return;
                    }
                    checkLesson(i, begin);
                    open = begin;
                    openedAt = i;
                }
                case Marker.End _ -> {
                    if (open == null) {
                        report(i, "END SOLUTION without a BEGIN SOLUTION before it: add"
                                + " `// BEGIN SOLUTION <lesson>.<task>: <what to write>` where the solution starts,"
                                + " or remove this line");
                        return;
                    }
                    checkEndsBlock(i);
                    regions.add(new Region(openedAt, i, open.indent(), open.task(), open.text()));
                    open = null;
                }
            }
        }
        if (open != null) {
            report(openedAt, "the region of task " + open.task() + " begun here has no END SOLUTION: add"
                    + " `// END SOLUTION` after the solution's last line");
        }
    }

    private void checkLesson(int index, Marker.Begin begin) {
        if (lesson.isEmpty()) {
            report(index, "task " + begin.task() + " is outside every lesson folder (such as 01-blocking), so its"
                    + " lesson cannot be checked: move the file into its lesson's folder");
        } else if (lesson.get().number() != begin.lesson()) {
            LessonFolder folder = lesson.get();
            report(index, "task " + begin.task() + " is numbered for lesson " + begin.lesson() + ", but the file is in "
                    + folder.name() + " (lesson " + folder.number() + "): number the task " + folder.number()
                    + ".<task>, or move the file to its lesson");
        }
    }

    // The stub ends in a throw, and javac rejects any statement after it in the same block.
    private void checkEndsBlock(int endIndex) {
        int next = endIndex + 1;
        while (next < lines.size() && lines.get(next).isBlank()) {
            next++;
        }
        if (next == lines.size() || !lines.get(next).text().strip().startsWith("}")) {
            report(next == lines.size() ? endIndex : next, "region ending at line " + (endIndex + 1)
                    + " must end its block: the stub throws, so nothing may follow it; move the code after it"
                    + " out of the region's block or into the region");
        }
    }

    private void report(int index, String message) {
        problems.add(new Problem(file, index + 1, message));
    }
}
