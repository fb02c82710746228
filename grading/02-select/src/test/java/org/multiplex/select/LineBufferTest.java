package org.multiplex.select;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.grading.Graded;

/** Task 2.5: chat lines, split and joined as TCP delivers them. No sockets: fake reads. */
class LineBufferTest {

    private final LineBuffer buffer = new LineBuffer(10);
    private final List<String> lines = new ArrayList<>();

    @Graded(task = "2.5")
    void reassembles_a_line_split_across_reads() throws ProtocolException {
        take("hel");
        take("lo");
        assertThat(lines).as("lines handed out after 'hel' and 'lo', before any line end").isEmpty();
        take("\n");
        assertThat(lines).as("lines handed out after 'hel', 'lo', '\\n' came in three reads: does take() keep the"
                + " unfinished line in pending between calls?").containsExactly("hello");
    }

    @Graded(task = "2.5")
    void separates_several_lines_of_one_read() throws ProtocolException {
        take("one\ntwo\nthr");
        assertThat(lines).as("lines handed out from one read of 'one\\ntwo\\nthr': does take() hand out every"
                + " line of a read, and keep the rest?").containsExactly("one", "two");
        take("ee\n");
        assertThat(lines).as("lines handed out after 'ee\\n' completed 'thr'").endsWith("three");
    }

    @Graded(task = "2.5")
    void ends_a_line_at_a_newline_or_at_a_carriage_return_and_newline() throws ProtocolException {
        take("unix\nwindows\r\n\r\n");
        assertThat(lines).as("lines handed out from 'unix\\nwindows\\r\\n\\r\\n': a line end is '\\n' or"
                + " '\\r\\n', and the line handed out has neither").containsExactly("unix", "windows", "");
    }

    @Graded(task = "2.5", points = 2)
    void accepts_a_line_of_the_maximum_length_and_refuses_a_longer_one() throws ProtocolException {
        assertThatCode(() -> take("0123456789\r\n")).as("take() of a line of exactly the maximum length (10),"
                + " ended by '\\r\\n': it is allowed, and pending has room for its '\\r'")
                .doesNotThrowAnyException();
        assertThat(lines).as("lines handed out from a line of the maximum length (10)").containsExactly("0123456789");
        assertThat(catchThrowable(() -> take("0123456789A\n")))
                .as("take() of an 11-byte line with a maximum of 10: a line longer than the maximum throws"
                        + " ProtocolException, even when its '\\n' comes in the same read")
                .isInstanceOf(ProtocolException.class);
    }

    private void take(String bytes) throws ProtocolException {
        buffer.take(ByteBuffer.wrap(bytes.getBytes(UTF_8)), lines::add);
    }
}
