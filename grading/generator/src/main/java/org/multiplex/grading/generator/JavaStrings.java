package org.multiplex.grading.generator;

/** Writes Java string literals. */
final class JavaStrings {

    private JavaStrings() {
    }

    /**
     * Returns a Java string literal, quotes included, whose value is the given text.
     *
     * @param text any text
     * @return the literal, as it would be written in source code
     */
    static String literal(String text) {
        StringBuilder literal = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                // Doubling a backslash also keeps javac from reading a backslash-u in the text as
                // a Unicode escape: a backslash after an odd number of backslashes starts none.
                case '\\' -> literal.append("\\\\");
                case '"' -> literal.append("\\\"");
                case '\t' -> literal.append("\\t");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        literal.append(String.format("\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('"').toString();
    }
}
