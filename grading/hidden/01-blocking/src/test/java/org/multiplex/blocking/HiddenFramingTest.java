package org.multiplex.blocking;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.multiplex.kit.grading.Graded;

/** Hidden checks of task 1.1: the framing, with pieces the public suite does not try. */
class HiddenFramingTest {

    @Graded(task = "1.1", points = 2)
    void hands_out_requests_that_arrive_two_bytes_at_a_time_across_their_boundaries() throws IOException {
        ZenRequestReader reader = new ZenRequestReader(twoBytesPerRead("Flat is better than?Sparse is better than?"));

        assertThat(new String(reader.next(), US_ASCII)).isEqualTo("Flat is better than?");
        assertThat(new String(reader.next(), US_ASCII)).isEqualTo("Sparse is better than?");
        assertThat(reader.next()).isNull();
    }

    @Graded(task = "1.1")
    void hands_out_a_request_that_is_only_the_question_mark() throws IOException {
        ZenRequestReader reader = new ZenRequestReader(twoBytesPerRead("?"));

        assertThat(new String(reader.next(), US_ASCII)).isEqualTo("?");
        assertThat(reader.next()).isNull();
    }

    private static InputStream twoBytesPerRead(String text) {
        return new ByteArrayInputStream(text.getBytes(US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(2, len));
            }
        };
    }
}
