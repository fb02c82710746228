package org.multiplex.select;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;

/** Task 2.1: keeping a client's partial request between two wake-ups. No sockets: fake reads. */
class RequestBufferTest {

    private final RequestBuffer buffer = new RequestBuffer();
    private final List<String> requests = new ArrayList<>();

    @Graded(task = "2.1", points = 2)
    void completes_a_request_that_arrives_over_several_reads() throws ProtocolException {
        take("Beaut");
        take("iful is bet");
        assertThat(requests).as("requests handed out after 'Beaut' and 'iful is bet', before any '?'").isEmpty();
        assertThat(buffer.inTheMiddleOfARequest()).as("in the middle of a request after 'Beaut' and 'iful is bet'")
                .isTrue();
        take("ter than?");

        assertThat(requests).as("requests handed out after 'Beaut', 'iful is bet', 'ter than?' came in three reads:"
                + " does take() keep the unfinished request in pending between calls?")
                .containsExactly("Beautiful is better than?");
        assertThat(buffer.inTheMiddleOfARequest()).as("in the middle of a request after a whole one: does take()"
                + " start again from empty after each '?'?").isFalse();
    }

    @Graded(task = "2.1", points = 2)
    void hands_out_every_request_of_one_read_in_order_and_keeps_the_rest() throws ProtocolException {
        take("Simple is better than?Explicit is better than?Flat is");
        assertThat(requests).as("requests handed out from one read of 'Simple is better than?Explicit is better"
                + " than?Flat is': does take() hand out every request of a read, not only the first?")
                .containsExactly("Simple is better than?", "Explicit is better than?");
        take(" better than?");
        assertThat(requests).as("requests handed out after ' better than?' completed 'Flat is': does take() keep"
                + " what follows the last '?' in pending?").endsWith("Flat is better than?");
    }

    @Graded(task = "2.1")
    void accepts_a_request_of_the_limit_and_refuses_a_longer_one() {
        String longest = "x".repeat(Zen.MAX_REQUEST_BYTES - 1) + "?";
        assertThatCode(() -> take(longest)).as("take() of a request of exactly Zen.MAX_REQUEST_BYTES (%d) bytes,"
                + " '?' included: it is allowed", Zen.MAX_REQUEST_BYTES).doesNotThrowAnyException();
        assertThat(requests).as("requests handed out from a request of exactly %d bytes", Zen.MAX_REQUEST_BYTES)
                .containsExactly(longest);
        assertThat(catchThrowable(() -> take("x".repeat(Zen.MAX_REQUEST_BYTES + 1))))
                .as("take() of %d bytes without '?': a request may not grow past Zen.MAX_REQUEST_BYTES; throw"
                        + " ProtocolException", Zen.MAX_REQUEST_BYTES + 1)
                .isInstanceOf(ProtocolException.class);
    }

    private void take(String bytes) throws ProtocolException {
        buffer.take(ByteBuffer.wrap(bytes.getBytes(US_ASCII)), r -> requests.add(new String(r, US_ASCII)));
    }
}
