package org.multiplex.grading.generator;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a text file, kept with its own ending so that a file can be put back together byte
 * for byte: CRLF stays CRLF, and a missing final newline stays missing.
 *
 * @param text   the line without its ending
 * @param ending {@code "\r\n"}, {@code "\n"}, {@code "\r"}, or {@code ""} for a last line without one
 */
record Line(String text, String ending) {

    /**
     * Returns the lines of a text.
     *
     * @param content the whole text
     * @return its lines, in order; none for an empty text
     */
    static List<Line> split(String content) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (c == '\n' || c == '\r') {
                int endingLength = c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n' ? 2 : 1;
                lines.add(new Line(content.substring(start, i), content.substring(i, i + endingLength)));
                i += endingLength;
                start = i;
            } else {
                i++;
            }
        }
        if (start < content.length()) {
            lines.add(new Line(content.substring(start), ""));
        }
        return lines;
    }

    /** Returns true if the line holds nothing but white space. */
    boolean isBlank() {
        return text.isBlank();
    }
}
