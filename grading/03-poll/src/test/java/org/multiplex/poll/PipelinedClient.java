package org.multiplex.poll;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.IntFunction;

import org.multiplex.kit.Todo;
import org.multiplex.kit.zen.Zen;

/**
 * A client that pipelines requests through a non-blocking channel with kernel buffers of a size
 * it chooses, writes them when told, reads the answers when told, and checks every answer, in
 * order, as it arrives.
 *
 * <p>Whatever goes wrong fails the test at once, with a message that says what the client did,
 * what it saw (a wrong answer, a closed connection, or silence for {@link WatchedServer#PATIENCE})
 * and the cause the test names for it, in {@link Hints}.
 */
final class PipelinedClient implements AutoCloseable {

    /** The likely cause of each way a test's answers can go wrong, in the lesson's words. */
    record Hints(String wrong, String silent, String closed) {
    }

    /** How long all the answers may take, however steadily they come. */
    private static final Duration ALL_ANSWERS = Duration.ofSeconds(15);
    private static final long PATIENCE_MILLIS = WatchedServer.PATIENCE.toMillis();
    private static final int LONGEST_ANSWER = Zen.UNKNOWN.length();

    private final WatchedServer server;
    private final IntFunction<String> request;
    private final int count;
    private final String did;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer requests;
    private final StringBuilder current = new StringBuilder();
    private int answers;
    private boolean halfClosed;

    private PipelinedClient(WatchedServer server, int count, IntFunction<String> request, int bufferBytes, String did)
            throws IOException {
        this.server = server;
        this.request = request;
        this.count = count;
        this.did = did;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < count; i++) {
            all.append(request.apply(i));
        }
        requests = ByteBuffer.wrap(all.toString().getBytes(US_ASCII));
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, bufferBytes);
        Todo.closeWhenReached(channel);
        channel.connect(server.address());
        channel.configureBlocking(false);
        selector = Selector.open();
        key = channel.register(selector, 0);
    }

    /**
     * Connects, and prepares the requests; sends nothing yet.
     *
     * @param server      the server
     * @param count       how many requests
     * @param request     the request of each number, from 0
     * @param bufferBytes the size of this side's kernel buffers, to send and to receive
     * @param did         what the test does with it, for failure messages: "the client ..."
     */
    static PipelinedClient connect(WatchedServer server, int count, IntFunction<String> request, int bufferBytes,
                                   String did) throws IOException {
        return new PipelinedClient(server, count, request, bufferBytes, did);
    }

    /** Returns how many bytes the requests take in all. */
    long totalBytes() {
        return requests.capacity();
    }

    /** Returns how many answers have arrived and been checked. */
    int answers() {
        return answers;
    }

    /**
     * Writes without reading until the kernel takes no more: until a write takes nothing and the
     * socket does not become writable again within half a second.
     *
     * @return the bytes sent so far
     */
    long sendUntilBlocked(Hints hints) throws IOException {
        key.interestOps(SelectionKey.OP_WRITE);
        while (requests.hasRemaining()) {
            if (write(hints) == 0 && waitFor(500) == 0) {
                break;
            }
        }
        return requests.position();
    }

    /** Sends everything left without reading, and shuts down this side's output. */
    void sendAllAndHalfClose(Hints hints) throws IOException {
        key.interestOps(SelectionKey.OP_WRITE);
        while (requests.hasRemaining()) {
            if (write(hints) == 0 && waitFor(PATIENCE_MILLIS) == 0) {
                throw server.failure(did, "the server took only " + number(requests.position()) + " of "
                        + number(requests.capacity()) + " request bytes, then no more for 2 s", hints.silent());
            }
        }
        channel.shutdownOutput();
        halfClosed = true;
    }

    /** Writes the rest while reading and checking every answer. */
    void receiveAll(Hints hints) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long start = System.nanoTime();
        long lastNews = start;
        while (answers < count) {
            if (System.nanoTime() - start > ALL_ANSWERS.toNanos()) {
                throw server.failure(did, "only " + progress() + " came in " + ALL_ANSWERS.toSeconds() + " s",
                        hints.silent());
            }
            boolean sending = requests.hasRemaining() && !halfClosed;
            key.interestOps(SelectionKey.OP_READ | (sending ? SelectionKey.OP_WRITE : 0));
            waitFor(100);
            boolean news = sending && write(hints) > 0;
            in.clear();
            int n;
            try {
                n = channel.read(in);
            } catch (IOException reset) {
                throw server.failure(did, "the server reset the connection after " + progress(), hints.closed());
            }
            if (n < 0) {
                throw server.failure(did, "the server closed the connection after " + progress(), hints.closed());
            }
            if (n > 0) {
                check(in.array(), n, hints);
                news = true;
            }
            if (news) {
                lastNews = System.nanoTime();
            } else if (System.nanoTime() - lastNews > PATIENCE_MILLIS * 1_000_000L) {
                throw server.failure(did, "after " + progress() + " the client waited 2 s and nothing more came",
                        hints.silent());
            }
        }
    }

    /**
     * Waits for the server to close the connection, once every answer has arrived.
     *
     * @param hint why the server might keep it open
     */
    void expectClose(String hint) throws IOException {
        key.interestOps(SelectionKey.OP_READ);
        ByteBuffer in = ByteBuffer.allocate(64);
        long start = System.nanoTime();
        while (System.nanoTime() - start < PATIENCE_MILLIS * 1_000_000L) {
            waitFor(100);
            int n;
            try {
                n = channel.read(in);
            } catch (IOException reset) {
                return;
            }
            if (n < 0) {
                return;
            }
            if (n > 0) {
                in.flip();
                throw server.failure(did, "after every answer the server sent more: \""
                        + printable(US_ASCII.decode(in).toString()) + "\"", hint);
            }
        }
        throw server.failure(did, "every answer came, but the server had not closed the connection 2 s later", hint);
    }

    /** Leaves with a reset (SO_LINGER 0) rather than an orderly close. */
    void reset() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        close();
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }

    private int waitFor(long millis) throws IOException {
        int ready = selector.select(millis);
        selector.selectedKeys().clear();
        return ready;
    }

    private int write(Hints hints) {
        try {
            return channel.write(requests);
        } catch (IOException e) {
            throw server.failure(did, "the server closed the connection after " + progress()
                    + ", while the client was still sending", hints.closed());
        }
    }

    private void check(byte[] bytes, int n, Hints hints) {
        for (int i = 0; i < n; i++) {
            current.append((char) (bytes[i] & 0xff));
            if (bytes[i] != Zen.ANSWER_END && current.length() <= LONGEST_ANSWER) {
                continue;
            }
            if (answers >= count) {
                throw server.failure(did, "after all " + number(count) + " answers came more bytes: \""
                        + printable(current.toString()) + "\"", hints.wrong());
            }
            String expected = Zen.answer(request.apply(answers));
            if (!current.toString().equals(expected)) {
                throw server.failure(did, "answer " + number(answers) + " (to \"" + printable(request.apply(answers))
                        + "\") was \"" + printable(current.toString()) + "\", not \"" + expected + "\"", hints.wrong());
            }
            current.setLength(0);
            answers++;
        }
    }

    /** Returns how far the answers got, as "85 of 1,000 answers". */
    private String progress() {
        return number(answers) + " of " + number(count) + " answers";
    }

    private static String number(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /** Returns text as a reader can see it: control bytes escaped, at most 40 characters. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            shown.append(c >= ' ' && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown.toString();
    }
}
