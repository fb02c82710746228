package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.multiplex.dispatcher.Fixtures.runUntil;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
            assertThat(sender.writable()).as("writable() with nothing to send").isFalse();
            assertThat(sender.send(ByteBuffer.wrap(data))).as("bytes send() says it took").isEqualTo(data.length);
            assertThat(sender.buffered()).as("bytes left in the buffer after one send of 4 MB to a small socket")
                    .isPositive();
            assertThat(sender.writable()).as("writable() while bytes wait").isTrue();
            try (LoopThread _ = new LoopThread(loop)) {
                byte[] got = pair.client().getInputStream().readNBytes(data.length);
                assertThat(got.length).as("bytes received").isEqualTo(data.length);
                assertThat(Arrays.mismatch(got, data)).as("index of the first byte that differs (-1: none)").isEqualTo(-1);
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
            assertThat(sender.isClosed()).as("closed while bytes still wait").isFalse();
            try (LoopThread _ = new LoopThread(loop)) {
                InputStream in = pair.client().getInputStream();
                byte[] got = in.readNBytes(data.length);
                assertThat(Arrays.mismatch(got, data)).as("index of the first byte that differs (-1: none)").isEqualTo(-1);
                assertThat(in.read()).as("what the client reads after the last byte (-1: the end)").isEqualTo(-1);
            }
            assertThat(sender.isClosed()).as("closed").isTrue();
            assertThat(sender.closes).as("handleClose calls").isEqualTo(1);
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
            runUntil(loop, () -> client.isConnected() && client.buffered() == 0, "the client connects and sends");
            try (Socket accepted = server.accept()) {
                Todo.closeWhenReached(accepted);
                accepted.setSoTimeout(5000);
                assertThat(new String(accepted.getInputStream().readNBytes(35), US_ASCII))
                        .isEqualTo("sent before the connection was made");
            }
            assertThat(client.writable()).as("writable() once connected with nothing to send").isFalse();
        }
    }
}
