package org.multiplex.grading.generator;

import java.util.List;

/** Replaces the regions of a Java file by stubs that compile and throw the kit's {@code Todo}. */
final class JavaSkeleton {

    /** The exception a stub throws; named in full, so that no file needs a new import. */
    static final String TODO_CLASS = "org.multiplex.kit.Todo";

    private JavaSkeleton() {
    }

    /**
     * Returns the exercise version of a file.
     *
     * @param lines   the solution file's lines
     * @param regions its regions, in order, none overlapping
     * @return the file with each region replaced by its stub
     */
    static String of(List<Line> lines, List<Region> regions) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (Region region : regions) {
            for (int i = next; i < region.begin(); i++) {
                append(out, lines.get(i));
            }
            // Each stub line takes the ending of the marker it stands for, so the file keeps its
            // line ending style, and a region's last line keeps whatever followed it.
            out.append(region.indent()).append("// TODO(").append(region.task()).append("): ").append(region.text())
                    .append(lines.get(region.begin()).ending());
            out.append(region.indent()).append("throw new ").append(TODO_CLASS).append('(')
                    .append(JavaStrings.literal(region.task())).append(", ")
                    .append(JavaStrings.literal(region.text())).append(");")
                    .append(lines.get(region.end()).ending());
            next = region.end() + 1;
        }
        for (int i = next; i < lines.size(); i++) {
            append(out, lines.get(i));
        }
        return out.toString();
    }

    private static void append(StringBuilder out, Line line) {
        out.append(line.text()).append(line.ending());
    }
}
