package org.multiplex.blocking;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
    void hands_out_a_request_that_arrives_one_byte_per_read() throws IOException {
        ZenRequestReader reader = new ZenRequestReader(inPieces("Beautiful is better than?", 1));

        assertThat(text(reader.next())).isEqualTo("Beautiful is better than?");
        assertThat(reader.next()).as("next() after the only request, at the end of the stream").isNull();
    }

    @Graded(task = "1.1", points = 2)
    void hands_out_several_requests_that_arrive_in_one_read_one_at_a_time() throws IOException {
        ZenRequestReader reader = new ZenRequestReader(inPieces(
                "Beautiful is better than?Simple is better than?Explicit is better than?", 1000));

        assertThat(text(reader.next())).isEqualTo("Beautiful is better than?");
        assertThat(text(reader.next())).isEqualTo("Simple is better than?");
        assertThat(text(reader.next())).isEqualTo("Explicit is better than?");
        assertThat(reader.next()).isNull();
    }

    @Graded(task = "1.1", points = 2)
    void loses_no_byte_of_a_thousand_requests_cut_at_random_places() throws IOException {
        List<String> sent = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            String request = "request " + i + " " + "x".repeat(random.nextInt(200)) + "?";
            sent.add(request);
            stream.append(request);
        }
        ZenRequestReader reader = new ZenRequestReader(randomPieces(stream.toString(), new Random(7)));

        List<String> received = new ArrayList<>();
        for (byte[] request = reader.next(); request != null; request = reader.next()) {
            received.add(text(request));
        }
        assertThat(received).as("requests handed out, in order").containsExactlyElementsOf(sent);
    }

    @Graded(task = "1.1")
    void returns_null_when_the_client_closes_between_requests() throws IOException {
        ZenRequestReader reader = new ZenRequestReader(inPieces("", 1));

        assertThat(reader.next()).as("next() on a stream that ends before any byte").isNull();
    }

    @Graded(task = "1.1")
    void treats_a_newline_left_after_the_last_request_as_a_clean_close() throws IOException {
        // What nc sends when a person types a request and presses Enter, then Ctrl-D.
        ZenRequestReader reader = new ZenRequestReader(inPieces("Simple is better than?\n", 3));

        assertThat(text(reader.next())).isEqualTo("Simple is better than?");
        assertThat(reader.next()).isNull();
    }

    @Graded(task = "1.1", points = 2)
    void reports_a_close_in_the_middle_of_a_request() {
        ZenRequestReader reader = new ZenRequestReader(inPieces("Beautiful is better", 4));

        assertThatThrownBy(reader::next)
                .as("next() when the stream ends after half a request")
                .isInstanceOf(EOFException.class);
    }

    @Graded(task = "1.1", points = 2)
    void accepts_a_request_of_the_longest_allowed_size_and_refuses_a_longer_one() throws IOException {
        String longest = "x".repeat(Zen.MAX_REQUEST_BYTES - 1) + "?";
        ZenRequestReader ok = new ZenRequestReader(inPieces(longest, 100));
        assertThat(text(ok.next())).as("a request of exactly %d bytes", Zen.MAX_REQUEST_BYTES).isEqualTo(longest);

        ZenRequestReader tooLong = new ZenRequestReader(inPieces("x".repeat(10 * Zen.MAX_REQUEST_BYTES) + "?", 100));
        assertThatThrownBy(tooLong::next)
                .as("next() on %d bytes without a question mark", 10 * Zen.MAX_REQUEST_BYTES)
                .isInstanceOf(ProtocolException.class);
    }

    private static String text(byte[] request) {
        assertThat(request).as("next() returned null, but a whole request had arrived").isNotNull();
        return new String(request, US_ASCII);
    }

    /** A stream that returns at most {@code size} bytes per read, as a slow network would. */
    private static InputStream inPieces(String text, int size) {
        return new ByteArrayInputStream(text.getBytes(US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, size));
            }
        };
    }

    /** A stream that returns between 1 and 50 bytes per read, chosen by a seeded random. */
    private static InputStream randomPieces(String text, Random random) {
        return new ByteArrayInputStream(text.getBytes(US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(50)));
            }
        };
    }
}
