package org.multiplex.grading.generator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the solution markers of a Java file, one line at a time. */
final class MarkerSyntax {

    /** The forms an author should copy when a marker is broken. */
    static final String FORMS =
            "write `// BEGIN SOLUTION <lesson>.<task>: <what to write>` or `// END SOLUTION`, each alone on its line";

    // The digits are bounded so that they always parse as an int.
    private static final Pattern BEGIN = Pattern.compile("(\\s*)//\\s*BEGIN SOLUTION\\s+((\\d{1,9})\\.\\d{1,9})\\s*:(.*)");
    private static final Pattern END = Pattern.compile("\\s*//\\s*END SOLUTION\\s*");
    // Generous on purpose: whatever an author may have meant as a marker is checked, not skipped.
    private static final Pattern LOOKALIKE = Pattern.compile("\\s*//\\s*(?i:begin|end)\\s*(?i:solution).*");
    private static final Pattern TRAILING = Pattern.compile(".*//\\s*(BEGIN|END) SOLUTION.*");

    private MarkerSyntax() {
    }

    /**
     * Returns what a line is.
     *
     * @param text the line, without its ending
     * @return the marker it holds, or {@link Marker.Plain}
     */
    static Marker classify(String text) {
        Matcher begin = BEGIN.matcher(text);
        if (begin.matches()) {
            String what = begin.group(4).strip();
            if (what.isEmpty()) {
                return new Marker.Malformed("BEGIN SOLUTION " + begin.group(2)
                        + " has no text: after the colon, say in a few words what the student should write");
            }
            return new Marker.Begin(begin.group(1), Integer.parseInt(begin.group(3)), begin.group(2), what);
        }
        if (END.matcher(text).matches()) {
            return new Marker.End();
        }
        if (LOOKALIKE.matcher(text).matches()) {
            return new Marker.Malformed("malformed solution marker `" + text.strip() + "`: " + FORMS);
        }
        if (TRAILING.matcher(text).matches()) {
            return new Marker.Malformed("a solution marker must be a whole-line // comment, with no code before it: "
                    + FORMS);
        }
        return new Marker.Plain();
    }
}
