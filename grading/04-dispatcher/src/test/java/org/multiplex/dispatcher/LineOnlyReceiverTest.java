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
        assertThat(receiver.lines).containsExactly("hello", "world", "", "three");
        receive("a\nb\r\n");
        assertThat(receiver.lines).as("a lone \\n is not the delimiter \\r\\n").endsWith("a\nb");
    }

    @Graded(task = "4.7", points = 2)
    void accepts_a_line_of_the_maximum_length_and_loses_the_connection_at_a_longer_one() {
        receiver.makeConnection(transport);
        receive("0123456789\r", "\n");
        assertThat(receiver.lines).as("a 10-byte line with a maximum of 10, its delimiter split").containsExactly("0123456789");
        assertThat(transport.disconnecting).as("disconnecting after a line of the maximum length").isFalse();
        receive("0123456789A\r\nafter\r\n");
        assertThat(transport.disconnecting).as("disconnecting after an 11-byte line").isTrue();
        assertThat(receiver.lines).as("lines handed on; none after the long one").containsExactly("0123456789");
    }

    @Graded(task = "4.7", points = 1)
    void loses_the_connection_when_an_unfinished_line_is_too_long_already() {
        receiver.makeConnection(transport);
        receive("0123456789");
        assertThat(transport.disconnecting).as("disconnecting after 10 bytes and no delimiter yet").isFalse();
        receive("\r");
        assertThat(transport.disconnecting).as("disconnecting after 10 bytes and half a delimiter").isFalse();
        receive("A");
        assertThat(transport.disconnecting).as("disconnecting once the unfinished line is 11 bytes").isTrue();
        assertThat(receiver.lines).isEmpty();
    }
}
