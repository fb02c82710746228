package org.multiplex.blocking;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;

/**
 * Task 1.1: framing. No sockets here: a fake stream hands the reader its bytes in whatever pieces
 * the test chooses, as TCP may.
 */
class ZenRequestReaderTest {

    @Graded(task = "1.1", points = 2)
    void hands_out_a_request_that_arrives_one_byte_per_read() {
        ZenRequestReader reader = new ZenRequestReader(FakeStream.inPieces("Beautiful is better than?", 1));

        Requests.expect(reader, "Beautiful is better than?", "'Beautiful is better than?' arrived one byte per read:"
                + " does next() keep the bytes of every read until a '?' arrives?");
        Requests.expectCleanEnd(reader, "the stream ended after its only request");
    }

    @Graded(task = "1.1", points = 2)
    void hands_out_several_requests_that_arrive_in_one_read_one_at_a_time() {
        ZenRequestReader reader = new ZenRequestReader(FakeStream.inPieces(
                "Beautiful is better than?Simple is better than?Explicit is better than?", 1000));

        Requests.expect(reader, "Beautiful is better than?", "three requests arrived in one read, and next() must"
                + " hand out only the first");
        String hint = "three requests arrived in one read: does next() keep the bytes after a '?', and look for"
                + " the next '?' among them before reading more?";
        Requests.expect(reader, "Simple is better than?", "the second of " + hint);
        Requests.expect(reader, "Explicit is better than?", "the third of " + hint);
        Requests.expectCleanEnd(reader, "the stream ended after its three requests");
    }

    @Graded(task = "1.1", points = 2)
    void loses_no_byte_of_a_thousand_requests_cut_at_random_places() {
        List<String> sent = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            String request = "request " + i + " " + "x".repeat(random.nextInt(200)) + "?";
            sent.add(request);
            stream.append(request);
        }
        ZenRequestReader reader = new ZenRequestReader(FakeStream.randomPieces(stream.toString(), 7));

        for (int i = 0; i < sent.size(); i++) {
            Requests.expect(reader, sent.get(i), "request " + (i + 1) + " of 1000, sent in random pieces of 1 to 50"
                    + " bytes: does next() keep every byte, and move its search position (scanned) along when it"
                    + " moves the unfinished request to the front?");
        }
        Requests.expectCleanEnd(reader, "the stream ended after its 1000 requests");
    }

    @Graded(task = "1.1")
    void returns_null_when_the_client_closes_between_requests() {
        ZenRequestReader reader = new ZenRequestReader(FakeStream.inPieces("", 1));

        Requests.expectCleanEnd(reader, "the stream ended before its first byte");
    }

    @Graded(task = "1.1")
    void treats_a_newline_left_after_the_last_request_as_a_clean_close() {
        // What nc sends when a person types a request and presses Enter, then Ctrl-D.
        ZenRequestReader reader = new ZenRequestReader(FakeStream.inPieces("Simple is better than?\n", 3));

        Requests.expect(reader, "Simple is better than?", "'Simple is better than?\\n' arrived three bytes per read");
        Requests.expectCleanEnd(reader, "the stream ended with a newline after the last request (white space"
                + " left over is no request)");
    }

    @Graded(task = "1.1", points = 2)
    void reports_a_close_in_the_middle_of_a_request() throws IOException {
        ZenRequestReader reader = new ZenRequestReader(FakeStream.inPieces("Beautiful is better", 4));

        String expected = "the stream ended after 'Beautiful is better', in the middle of a request: next() must"
                + " throw EOFException (the client left mid-request), not ";
        try {
            byte[] request = reader.next();
            fail(expected + (request == null ? "return null, as for a clean close" : "return " + Requests.show(request)));
        } catch (EOFException leftMidRequest) {
            // The behaviour wanted.
        } catch (ProtocolException e) {
            fail(expected + "throw " + e);
        }
    }

    @Graded(task = "1.1", points = 2)
    void accepts_a_request_of_the_longest_allowed_size_and_refuses_a_longer_one() throws IOException {
        String longest = "x".repeat(Zen.MAX_REQUEST_BYTES - 1) + "?";
        ZenRequestReader ok = new ZenRequestReader(FakeStream.inPieces(longest, 100));
        Requests.expect(ok, longest, "a request of exactly " + Zen.MAX_REQUEST_BYTES + " bytes, '?' included"
                + " (Zen.MAX_REQUEST_BYTES), is allowed: is there room in the buffer for all of it?");

        int tooLong = 10 * Zen.MAX_REQUEST_BYTES;
        ZenRequestReader refuses = new ZenRequestReader(FakeStream.inPieces("x".repeat(tooLong) + "?", 100));
        String expected = tooLong + " bytes without a '?': next() must throw ProtocolException once a request passes"
                + " Zen.MAX_REQUEST_BYTES (" + Zen.MAX_REQUEST_BYTES + "), or one client could fill the server's"
                + " memory; it ";
        try {
            byte[] request = refuses.next();
            fail(expected + (request == null ? "returned null" : "returned a request of " + request.length + " bytes"));
        } catch (ProtocolException refused) {
            // The behaviour wanted.
        } catch (EOFException e) {
            fail(expected + "threw " + e);
        }
    }

    /** Calls next() on a reader and says, for the student, what it did wrong. */
    static final class Requests {

        private Requests() {
        }

        /** Fails unless next() returns the expected request; the hint leads the failure message. */
        static void expect(ZenRequestReader reader, String expected, String hint) {
            byte[] request = next(reader, hint);
            if (request == null || !new String(request, US_ASCII).equals(expected)) {
                fail(hint + "; next() returned " + (request == null ? "null" : show(request))
                        + ", expected " + show(expected.getBytes(US_ASCII)));
            }
        }

        /** Fails unless next() returns null. */
        static void expectCleanEnd(ZenRequestReader reader, String situation) {
            byte[] request = next(reader, situation + ": next() must return null (a clean close)");
            if (request != null) {
                fail(situation + ": next() must return null (a clean close), but it returned " + show(request));
            }
        }

        private static byte[] next(ZenRequestReader reader, String hint) {
            try {
                return reader.next();
            } catch (IOException e) {
                throw new AssertionError(hint + "; next() threw " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }

        /** Returns a request as the message shows it: quoted, and cut if it is long. */
        static String show(byte[] request) {
            String text = new String(request, US_ASCII);
            return text.length() <= 60 ? "\"" + text + "\""
                    : "\"" + text.substring(0, 30) + "..." + text.substring(text.length() - 20) + "\" (" + text.length() + " bytes)";
        }
    }
}
