package org.multiplex.select;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(requests).as("requests handed out before the '?' arrived").isEmpty();
        assertThat(buffer.inTheMiddleOfARequest()).isTrue();
        take("ter than?");

        assertThat(requests).containsExactly("Beautiful is better than?");
        assertThat(buffer.inTheMiddleOfARequest()).as("in the middle of a request after a whole one").isFalse();
    }

    @Graded(task = "2.1", points = 2)
    void hands_out_every_request_of_one_read_in_order_and_keeps_the_rest() throws ProtocolException {
        take("Simple is better than?Explicit is better than?Flat is");
        assertThat(requests).containsExactly("Simple is better than?", "Explicit is better than?");
        take(" better than?");
        assertThat(requests).endsWith("Flat is better than?");
    }

    @Graded(task = "2.1")
    void refuses_a_request_longer_than_the_limit() {
        assertThatThrownBy(() -> take("x".repeat(Zen.MAX_REQUEST_BYTES + 1)))
                .as("take() of %d bytes without '?'", Zen.MAX_REQUEST_BYTES + 1)
                .isInstanceOf(ProtocolException.class);
    }

    private void take(String bytes) throws ProtocolException {
        buffer.take(ByteBuffer.wrap(bytes.getBytes(US_ASCII)), r -> requests.add(new String(r, US_ASCII)));
    }
}
