package org.multiplex.poll;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

import org.multiplex.kit.Todo;

/**
 * Lesson 3's demo: a client sends a million requests before it reads a single answer. The server
 * must stop reading from it, or hold 24 MB of answers for it.
 */
public final class Demo {

    private static final int REQUESTS = 1_000_000;

    private Demo() {
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        try (PollZenServer server = new PollZenServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open()) {
            InetSocketAddress address = server.start();
            // Small buffers on the client side, so the kernels cannot hide what the server does.
            client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            client.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            client.connect(address);
            client.configureBlocking(false);
            ByteBuffer requests = ByteBuffer.wrap("?".repeat(REQUESTS).getBytes(StandardCharsets.US_ASCII));

            // tag::flood[]
            // Send without reading until the server stops taking requests.
            int idle = 0;
            while (requests.hasRemaining() && idle < 100) {
                idle = client.write(requests) == 0 ? idle + 1 : 0;
                LockSupport.parkNanos(100_000);
            }
            System.out.printf("The client sent %,d of %,d one-byte requests, then the server stopped reading.%n",
                    requests.position(), REQUESTS);
            System.out.printf("The server holds at most %,d bytes for this client (its cap: %,d).%n",
                    server.peakBufferedBytes(), PollZenServer.bufferCap());
            // end::flood[]

            // Now read, and send the rest as the server takes it.
            ByteBuffer answers = ByteBuffer.allocate(64 * 1024);
            long answered = 0;
            long start = System.nanoTime();
            while (answered < REQUESTS) {
                if (requests.hasRemaining()) {
                    client.write(requests);
                }
                answers.clear();
                int n = client.read(answers);
                if (n < 0) {
                    throw new IOException("the server closed the connection after " + answered + " answers");
                }
                for (int i = 0; i < n; i++) {
                    if (answers.get(i) == '.') {
                        answered++;
                    }
                }
            }
            System.out.printf("Once the client read, all %,d answers arrived in %d ms; the server never held more than %,d bytes.%n",
                    answered, (System.nanoTime() - start) / 1_000_000, server.peakBufferedBytes());
        } catch (IOException | RuntimeException e) {
            System.out.println("The demo failed: " + Todo.explain(e));
        }
    }
}
