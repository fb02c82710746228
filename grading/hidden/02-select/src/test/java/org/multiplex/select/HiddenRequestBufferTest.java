package org.multiplex.select;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.grading.Graded;

/** Hidden checks of task 2.1: a request fed one byte per wake-up. */
class HiddenRequestBufferTest {

    @Graded(task = "2.1", points = 2)
    void completes_requests_that_arrive_one_byte_per_read() throws ProtocolException {
        RequestBuffer buffer = new RequestBuffer();
        List<String> requests = new ArrayList<>();
        for (byte b : "Now is better than?Never is often better than?".getBytes(US_ASCII)) {
            buffer.take(ByteBuffer.wrap(new byte[] {b}), r -> requests.add(new String(r, US_ASCII)));
        }
        assertThat(requests).as("requests handed out from two requests fed one byte per take(): does take() keep"
                + " the unfinished request in pending between calls?")
                .containsExactly("Now is better than?", "Never is often better than?");
        assertThat(buffer.inTheMiddleOfARequest()).as("in the middle of a request after two whole ones").isFalse();
    }
}
