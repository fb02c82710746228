package org.multiplex.kit.chaos;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import org.multiplex.kit.Todo;
import org.multiplex.kit.zen.Zen;

/**
 * A client that pipelines many requests through a non-blocking channel with small kernel buffers,
 * so that it sees when the server stops taking them, and reads the answers only when told to,
 * checking each one, in order, byte by byte.
 *
 * <pre>{@code
 * try (Flood flood = Flood.ofQuestions(address, 100_000)) {
 *     long letIn = flood.writeUntilBlocked();   // bytes the server took before it stopped reading
 *     flood.finish();                          // writes the rest, reads and checks every answer
 * }
 * }</pre>
 *
 * <p>Its checks are AssertJ assertions: it is made for graded tests. Not thread-safe.
 */
public final class Flood implements AutoCloseable {

    private static final List<String> QUESTIONS = Zen.questions();

    private final SocketChannel channel;
    private final ByteBuffer requests;
    private final ByteBuffer answers = ByteBuffer.allocate(64 * 1024);
    private final InOrder checker;
    private final int count;

    /**
     * Connects and prepares the requests; sends nothing yet.
     *
     * @param address the server
     * @param count   how many requests to send
     * @param request the request of each number, from 0
     */
    public Flood(InetSocketAddress address, int count, IntFunction<String> request) throws IOException {
        this.count = count;
        this.checker = new InOrder(request);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < count; i++) {
            all.append(request.apply(i));
        }
        requests = ByteBuffer.wrap(all.toString().getBytes(US_ASCII));
        channel = SocketChannel.open();
        // Small buffers on this side, so that what the kernels hold cannot hide whether the
        // server kept reading.
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        Todo.closeWhenReached(channel);
        channel.connect(address);
        channel.configureBlocking(false);
    }

    /** A flood of the protocol's questions, in turn. */
    public static Flood ofQuestions(InetSocketAddress address, int count) throws IOException {
        return new Flood(address, count, i -> QUESTIONS.get(i % QUESTIONS.size()));
    }

    /** A flood of one request, again and again. */
    public static Flood of(InetSocketAddress address, String request, int count) throws IOException {
        return new Flood(address, count, i -> request);
    }

    /** Returns how many bytes the requests take in all. */
    public long totalBytes() {
        return requests.capacity();
    }

    /** Writes until the kernel takes no more for a while; returns the bytes it took. */
    public long writeUntilBlocked() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int zeroWrites = 0;
        // The kernel takes bytes while the server reads them; once it stops, writes return 0.
        // Fifty zero writes in a row, a millisecond apart, mean it stopped.
        while (requests.hasRemaining() && zeroWrites < 50 && System.nanoTime() < deadline) {
            if (channel.write(requests) == 0) {
                zeroWrites++;
                LockSupport.parkNanos(1_000_000);
            } else {
                zeroWrites = 0;
            }
        }
        return requests.position();
    }

    /** Writes the rest while reading and checking every answer, waiting in a selector of its own. */
    public void finish() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        try (Selector selector = Selector.open()) {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            while (checker.count() < count) {
                assertThat(System.nanoTime()).as("time left to read every answer").isLessThan(deadline);
                key.interestOps(SelectionKey.OP_READ | (requests.hasRemaining() ? SelectionKey.OP_WRITE : 0));
                selector.select(1000);
                selector.selectedKeys().clear();
                if (requests.hasRemaining()) {
                    channel.write(requests);
                }
                answers.clear();
                int n = channel.read(answers);
                assertThat(n).as("read after %d answers (-1: the server closed)", checker.count()).isNotNegative();
                checker.accept(answers.array(), n);
            }
        }
    }

    /** Returns how many answers have been read and checked. */
    public int answers() {
        return checker.count();
    }

    /** Leaves with a reset (SO_LINGER 0) rather than an orderly close. */
    public void reset() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Checks a stream of answers against the requests sent, in order, byte by byte. */
    public static final class InOrder {
        private final IntFunction<String> request;
        private final StringBuilder current = new StringBuilder();
        private int count;

        /** @param request the request of each number, from 0 */
        public InOrder(IntFunction<String> request) {
            this.request = request;
        }

        /** Takes the next bytes from the server, checking each answer they complete. */
        public void accept(byte[] bytes, int n) {
            for (int i = 0; i < n; i++) {
                current.append((char) bytes[i]);
                if (bytes[i] == Zen.ANSWER_END) {
                    assertThat(current.toString()).as("answer %d", count).isEqualTo(Zen.answer(request.apply(count)));
                    current.setLength(0);
                    count++;
                }
            }
        }

        /** Returns how many answers have been checked. */
        public int count() {
            return count;
        }
    }
}
