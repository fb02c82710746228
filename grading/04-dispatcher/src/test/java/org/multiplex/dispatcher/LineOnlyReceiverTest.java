package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.grading.Graded;

/** Task 4.7: Twisted's LineOnlyReceiver, driven by calls through a fake transport. No sockets. */
class LineOnlyReceiverTest {

    /** A transport that keeps what is written and remembers a loseConnection. */
    private static final class FakeTransport implements Transport {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean disconnecting;

        @Override
        public void write(byte[] data) {
            written.writeBytes(data);
        }

        @Override
        public void loseConnection() {
            disconnecting = true;
        }

        @Override
        public boolean isDisconnecting() {
            return disconnecting;
        }

        @Override
        public InetSocketAddress getPeer() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 50312);
        }
    }

    /** Keeps every line; a maximum length of 10 bytes. */
    private static final class Lines extends LineOnlyReceiver {
        final List<String> lines = new ArrayList<>();

        @Override
        protected int maxLength() {
            return 10;
        }

        @Override
        protected void lineReceived(byte[] line) {
            lines.add(new String(line, US_ASCII));
        }
    }

    private final FakeTransport transport = new FakeTransport();
    private final Lines receiver = new Lines();

    private void receive(String... pieces) {
        for (String piece : pieces) {
            receiver.dataReceived(piece.getBytes(US_ASCII));
        }
    }

    @Graded(task = "4.7", points = 2)
    void hands_on_each_line_without_its_delimiter_however_the_bytes_are_cut() {
        receiver.makeConnection(transport);
        receive("hel", "lo\r", "\nworld\r\n\r\nthr", "ee\r\n");
        assertThat(receiver.lines).withFailMessage("the pieces \"hel\" \"lo\\r\" \"\\nworld\\r\\n\\r\\nthr\""
                + " \"ee\\r\\n\" gave the lines %s, not [hello, world, , three]: lines are cut across reads, and"
                + " several come in one. Does dataReceived keep the unfinished rest, and join it to the next bytes?",
                receiver.lines).containsExactly("hello", "world", "", "three");
        receive("a\nb\r\n");
        assertThat(receiver.lines).as("a lone \\n is not the delimiter \\r\\n").endsWith("a\nb");
    }

    @Graded(task = "4.7", points = 2)
    void accepts_a_line_of_the_maximum_length_and_loses_the_connection_at_a_longer_one() {
        receiver.makeConnection(transport);
        receive("0123456789\r", "\n");
        assertThat(receiver.lines).withFailMessage("a 10-byte line, with maxLength() 10 and its delimiter cut in two,"
                + " gave the lines %s: a line of exactly maxLength() is accepted", receiver.lines)
                .containsExactly("0123456789");
        assertThat(transport.disconnecting).withFailMessage("a line of exactly maxLength() (10) lost the connection:"
                + " only a longer one goes to lineLengthExceeded").isFalse();
        receive("0123456789A\r\nafter\r\n");
        assertThat(transport.disconnecting).withFailMessage("an 11-byte line, with maxLength() 10, did not lose the"
                + " connection (lines handed on: %s): a line longer than maxLength() goes to lineLengthExceeded,"
                + " whose default loses the connection, never to lineReceived", receiver.lines).isTrue();
        assertThat(receiver.lines).withFailMessage("lines handed on %s: after a line longer than maxLength() went to"
                + " lineLengthExceeded, no line may follow", receiver.lines).containsExactly("0123456789");
    }

    @Graded(task = "4.7", points = 1)
    void loses_the_connection_when_an_unfinished_line_is_too_long_already() {
        receiver.makeConnection(transport);
        receive("0123456789");
        assertThat(transport.disconnecting).withFailMessage("10 bytes, with no delimiter yet and maxLength() 10, lost"
                + " the connection: that unfinished line may still end at maxLength()").isFalse();
        receive("\r");
        assertThat(transport.disconnecting).withFailMessage("10 bytes and half a delimiter (\\r), with maxLength()"
                + " 10, lost the connection: the \\r may begin the delimiter, and is not counted").isFalse();
        receive("A");
        assertThat(transport.disconnecting).withFailMessage("the pieces \"0123456789\" \"\\r\" \"A\": an unfinished"
                + " line of 11 bytes with maxLength() 10 did not lose the connection. An unfinished line that is too"
                + " long already goes to lineLengthExceeded too (if the pieces were cut and not kept, it never"
                + " grows: keep the rest); else a client that never ends its line makes the receiver hold it all")
                .isTrue();
        assertThat(receiver.lines).as("lines handed on from an unfinished line").isEmpty();
    }
}
