package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.multiplex.dispatcher.Fixtures.runUntil;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import org.multiplex.dispatcher.Fixtures.LoopThread;
import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.LoopbackPair;

/** Task 4.3: a send that keeps what the socket does not take, and sends it when it can. */
class BufferedDispatcherTest {

    /** Sends what the test gives it and reads nothing; counts its close events. */
    private static final class Sender extends BufferedDispatcher {
        volatile int closes;
        volatile boolean drained;

        Sender(DispatcherLoop loop) {
            super(loop);
        }

        Sender(DispatcherLoop loop, SocketChannel connected) throws IOException {
            super(loop, connected);
        }

        @Override
        protected boolean readable() {
            return false;
        }

        @Override
        protected void handleWrite() throws IOException {
            super.handleWrite();
            drained = !writable();
        }

        @Override
        protected void handleClose() {
            closes++;
            super.handleClose();
        }
    }

    private static final String WRITABLE_HINT = "writable() was true with nothing to send: the loop would wake for"
            + " a write event at every pass and spin. Answer from state: bytes waiting, a connect pending, a close due";

    /**
     * Reads exactly as many bytes as were sent, and fails saying how many came if they stop coming:
     * a test waits {@link Fixtures#PATIENCE} for the next bytes, never longer.
     */
    private static byte[] readAll(Socket client, int size, String hint) throws IOException {
        client.setSoTimeout((int) Fixtures.PATIENCE.toMillis());
        InputStream in = client.getInputStream();
        byte[] got = new byte[size];
        int n = 0;
        try {
            while (n < size) {
                int r = in.read(got, n, size - n);
                if (r < 0) {
                    fail("the connection ended after %,d of the %,d bytes sent: %s", n, size, hint);
                }
                n += r;
            }
        } catch (SocketTimeoutException e) {
            fail("%,d of the %,d bytes sent arrived, then nothing for %d s: %s", n, size,
                    Fixtures.PATIENCE.toSeconds(), hint);
        }
        return got;
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    @Graded(task = "4.3", points = 3)
    void send_keeps_what_the_socket_does_not_take_and_every_byte_arrives_in_order() throws Exception {
        byte[] data = pattern(4 * 1024 * 1024);
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open(4096)) {
            pair.server().setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            Sender sender = new Sender(loop, pair.server());
            assertThat(sender.writable()).withFailMessage(WRITABLE_HINT).isFalse();
            assertThat(sender.send(ByteBuffer.wrap(data))).as("bytes send() says it took: all of them, the rest buffered").isEqualTo(data.length);
            assertThat(sender.buffered()).withFailMessage("after one send() of 4 MB to a socket with small buffers,"
                    + " nothing waits in the buffer, yet the socket cannot have taken it all: a partial write"
                    + " must keep the rest. Does initiateSend keep what the socket did not take (compact, not"
                    + " clear)?").isPositive();
            assertThat(sender.writable()).withFailMessage("writable() was false while %,d bytes wait to be sent: they"
                    + " would never go", sender.buffered()).isTrue();
            try (LoopThread _ = new LoopThread(loop)) {
                byte[] got = readAll(pair.client(), data.length, "does initiateSend keep the rest of a partial"
                        + " write, and is the dispatcher writable() while bytes wait?");
                int first = Arrays.mismatch(got, data);
                assertThat(first).withFailMessage("the bytes arrived, but differ from those sent from byte %,d on:"
                        + " a partial write must keep the unsent rest, in order, at the front of the buffer", first)
                        .isEqualTo(-1);
                await("writable() turns false once everything is sent").atMost(Fixtures.PATIENCE)
                        .until(() -> sender.drained);
            }
        }
    }

    @Graded(task = "4.3", points = 2)
    void close_when_done_closes_after_the_last_byte_and_only_then() throws Exception {
        byte[] data = pattern(1024 * 1024);
        try (DispatcherLoop loop = new DispatcherLoop(); LoopbackPair pair = LoopbackPair.open(4096)) {
            pair.server().setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            Sender sender = new Sender(loop, pair.server());
            sender.send(ByteBuffer.wrap(data));
            sender.closeWhenDone();
            String hint = "closeWhenDone() must close after the last byte, not before: deliver the close once the"
                    + " buffer is empty";
            assertThat(sender.isClosed()).withFailMessage("closeWhenDone() with %,d bytes still waiting closed the"
                    + " connection at once: %s", sender.buffered(), hint).isFalse();
            try (LoopThread _ = new LoopThread(loop)) {
                byte[] got = readAll(pair.client(), data.length, hint);
                assertThat(Arrays.mismatch(got, data)).as("index of the first byte that differs (-1: none)").isEqualTo(-1);
                int after;
                try {
                    after = pair.client().getInputStream().read();
                } catch (SocketTimeoutException e) {
                    after = -2;
                }
                assertThat(after).withFailMessage("after the last byte the connection was not closed within %d s"
                        + " (read gave %d): once the buffer is empty after closeWhenDone(), initiateSend delivers"
                        + " the close", Fixtures.PATIENCE.toSeconds(), after).isEqualTo(-1);
            }
            assertThat(sender.isClosed()).as("isClosed() once the last byte went after closeWhenDone()").isTrue();
            assertThat(sender.closes).as("handleClose calls after closeWhenDone() (the close comes once)").isEqualTo(1);
        }
    }

    @Graded(task = "4.3", points = 2)
    void bytes_sent_while_connecting_go_out_once_connected() throws Exception {
        try (DispatcherLoop loop = new DispatcherLoop();
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Sender client = new Sender(loop);
            client.createSocket();
            client.connect((InetSocketAddress) server.getLocalSocketAddress());
            client.send(ByteBuffer.wrap("sent before the connection was made".getBytes(US_ASCII)));
            runUntil(loop, () -> client.isConnected() && client.buffered() == 0,
                    "a client that sent while still connecting connects and sends: is a dispatcher writable() while"
                            + " not yet connected, and does initiateSend wait until it is?");
            try (Socket accepted = server.accept()) {
                Todo.closeWhenReached(accepted);
                byte[] got = readAll(accepted, 35, "bytes sent while connecting must wait in the buffer");
                assertThat(new String(got, US_ASCII)).as("what the server read from a client that sent while still connecting").isEqualTo("sent before the connection was made");
            }
            assertThat(client.writable()).withFailMessage(WRITABLE_HINT).isFalse();
        }
    }
}
