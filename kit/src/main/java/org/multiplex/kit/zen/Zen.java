package org.multiplex.kit.zen;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Zen protocol of <i>Foundations of Python Network Programming</i>, chapter 7, byte for byte.
 *
 * <p>A request is an aphorism of PEP 20 cut before its last word and ended by {@code '?'}; the
 * answer is that last word, ended by {@code '.'}. Neither carries a newline, so a client finds the
 * end of an answer by its full stop, and a server the end of a request by its question mark.
 *
 * <table>
 *   <caption>The book's table</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code Beautiful is better than?}</td><td>{@code Ugly.}</td></tr>
 *   <tr><td>{@code Explicit is better than?}</td><td>{@code Implicit.}</td></tr>
 *   <tr><td>{@code Simple is better than?}</td><td>{@code Complex.}</td></tr>
 *   <tr><td>anything else</td><td>{@code Error: unknown aphorism.}</td></tr>
 * </table>
 *
 * <p>The course adds two conveniences that the book's client never notices: white space around a
 * request is ignored (so that lines typed into {@code nc} work), and a request may be at most
 * {@link #MAX_REQUEST_BYTES} long, past which a server closes the connection.
 */
public final class Zen {

    /** The byte that ends every request. */
    public static final byte REQUEST_END = '?';

    /** The byte that ends every answer. */
    public static final byte ANSWER_END = '.';

    /** The longest request a server must accept, question mark included. */
    public static final int MAX_REQUEST_BYTES = 1024;

    /** The answer to every request that is not in the table. */
    public static final String UNKNOWN = "Error: unknown aphorism.";

    private static final Map<String, String> TABLE = new LinkedHashMap<>();
    static {
        TABLE.put("Beautiful is better than?", "Ugly.");
        TABLE.put("Explicit is better than?", "Implicit.");
        TABLE.put("Simple is better than?", "Complex.");
        TABLE.put("Sparse is better than?", "Dense.");
        TABLE.put("Flat is better than?", "Nested.");
    }

    private static final byte[][] QUESTIONS = TABLE.keySet().stream().map(Zen::ascii).toArray(byte[][]::new);
    private static final byte[][] ANSWERS = TABLE.values().stream().map(Zen::ascii).toArray(byte[][]::new);
    private static final byte[] UNKNOWN_BYTES = ascii(UNKNOWN);

    private Zen() {
    }

    /**
     * Returns the answer to one request.
     *
     * @param  request the bytes of the request, ending with {@code '?'}
     * @param  offset  where the request starts in {@code request}
     * @param  length  how many bytes it has
     * @return a new array holding the answer, ending with {@code '.'}
     */
    public static byte[] answer(byte[] request, int offset, int length) {
        int from = offset;
        int to = offset + length;
        while (from < to && isSpace(request[from])) {
            from++;
        }
        while (to > from && isSpace(request[to - 1])) {
            to--;
        }
        for (int i = 0; i < QUESTIONS.length; i++) {
            if (Arrays.equals(request, from, to, QUESTIONS[i], 0, QUESTIONS[i].length)) {
                return ANSWERS[i].clone();
            }
        }
        return UNKNOWN_BYTES.clone();
    }

    /**
     * Returns the answer to one whole request.
     *
     * @param  request the request, ending with {@code '?'}
     * @return the answer, ending with {@code '.'}
     */
    public static byte[] answer(byte[] request) {
        return answer(request, 0, request.length);
    }

    /**
     * Returns the answer to a request given as text.
     *
     * @param  request the request, ending with {@code '?'}
     * @return the answer, ending with {@code '.'}
     */
    public static String answer(String request) {
        return new String(answer(request.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    /** Returns the requests of the table, in the book's order first. */
    public static java.util.List<String> questions() {
        return java.util.List.copyOf(TABLE.keySet());
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
