package org.multiplex.kit.load;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.multiplex.kit.zen.Zen;

/**
 * Many Zen clients at once, driven by one thread and one selector: the course's load generator.
 *
 * <p>It opens its connections first ({@link #connect}), then drives them in runs: for a fixed
 * time after a warm-up ({@link #run}), or until each connection has had a fixed number of answers
 * ({@link #ask}). Each connection keeps {@code depth} requests outstanding: with depth 1 it is a
 * closed loop (ask, wait for the answer, ask again), with more it pipelines. Requests go round the
 * protocol's table, and every answer is checked against the table: a wrong answer is counted,
 * reported, and closes its connection.
 *
 * <pre>{@code
 * try (LoadGenerator load = LoadGenerator.connect(server, 1000, Duration.ofSeconds(10))) {
 *     LoadResult r = load.run(1, Duration.ofSeconds(2), Duration.ofSeconds(3));
 *     System.out.println(r);       // answers/s, latency percentiles, wrong, lost, silent
 * }
 * }</pre>
 *
 * <h2>Why one thread</h2>
 *
 * A thread per connection would measure the client's scheduler as much as the server. One
 * selector thread costs one core however many connections it drives, so on a two-core machine the
 * server keeps the other. It is written to allocate nothing per request: one read buffer and one
 * write buffer serve every connection.
 *
 * <h2>Bounds</h2>
 *
 * It connects only to a loopback address. Every wait has a deadline: a connect phase that stops
 * making progress ends early; a server that never answers makes a run end on time with its
 * connections counted as silent. A generator is used by one thread at a time.
 */
public final class LoadGenerator implements Closeable {

    /** The most connects waiting for the server at once; more would only overflow its backlog. */
    private static final int CONNECTS_IN_FLIGHT = 256;
    /** A connect phase with no new connection for this long has stalled. */
    private static final long CONNECT_STALL_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Longer than any answer of the protocol: a longer one without its full stop is wrong. */
    private static final int LONGEST_ANSWER = 64;
    /** The largest latency the histograms hold, in microseconds; longer ones are clamped to it. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private static final byte[][] REQUESTS;
    private static final byte[][] ANSWERS;
    static {
        List<String> questions = Zen.questions();
        REQUESTS = new byte[questions.size()][];
        ANSWERS = new byte[questions.size()][];
        for (int i = 0; i < questions.size(); i++) {
            REQUESTS[i] = questions.get(i).getBytes(StandardCharsets.US_ASCII);
            ANSWERS[i] = Zen.answer(REQUESTS[i]);
        }
    }

    private final Selector selector;
    private final List<Connection> connections;
    private final int asked;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
    private final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    // The state of the run in progress.
    private int depth = 1;
    private boolean sending;
    private boolean recording;
    private long answers;
    private long wrongAnswers;
    private String firstWrong = "";
    private int lost;
    /** Connections of a counted run that still wait for answers. */
    private int unfinished;
    /** The driving thread's processor time when the measured interval began. */
    private long cpuAtStart;

    /** One client: its channel, and the requests it has sent and not yet had answered. */
    private static final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        /** A ring of the outstanding requests: which question, and when it was written. */
        long[] sentAt = new long[1];
        int[] question = new int[1];
        int head;
        int outstanding;
        int nextQuestion;
        /** The answer being read, up to its full stop. */
        final byte[] answer = new byte[LONGEST_ANSWER];
        int answerLength;
        /** Bytes of requests the socket did not take, or null. */
        ByteBuffer unsent;
        /** Requests still to send in a counted run. */
        long toSend;
        long answeredInRun;
        boolean closed;

        Connection(SocketChannel channel, int first) {
            this.channel = channel;
            this.nextQuestion = first;
        }

        void push(int q, long now) {
            if (outstanding == sentAt.length) {
                grow();
            }
            int at = (head + outstanding) % sentAt.length;
            sentAt[at] = now;
            question[at] = q;
            outstanding++;
        }

        private void grow() {
            long[] s = new long[sentAt.length * 2];
            int[] q = new int[sentAt.length * 2];
            for (int i = 0; i < outstanding; i++) {
                s[i] = sentAt[(head + i) % sentAt.length];
                q[i] = question[(head + i) % sentAt.length];
            }
            sentAt = s;
            question = q;
            head = 0;
        }
    }

    private LoadGenerator(Selector selector, List<Connection> connections, int asked) {
        this.selector = selector;
        this.connections = connections;
        this.asked = asked;
    }

    /**
     * Opens connections to a server, at most a few hundred connects waiting at once.
     *
     * <p>Returns when all are open, when the time limit passes, or when no connect has completed
     * for two seconds (a server that does not accept, or a full backlog): {@link #connected()}
     * says how many it got.
     *
     * @param  server      where the server listens; a loopback address
     * @param  connections how many to open
     * @param  limit       the longest the whole connect phase may take
     * @return a generator holding the connections that were made
     * @throws IOException              if the selector cannot be opened
     * @throws IllegalArgumentException if the address is not a loopback address
     */
    public static LoadGenerator connect(InetSocketAddress server, int connections, Duration limit) throws IOException {
        if (server.getAddress() == null || !server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the load generator only connects to this machine (a loopback address), not " + server);
        }
        Selector selector = Selector.open();
        List<Connection> open = new ArrayList<>(connections);
        LoadGenerator load = new LoadGenerator(selector, open, connections);
        try {
            load.openAll(server, connections, limit);
        } catch (IOException | RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    private void openAll(InetSocketAddress server, int wanted, Duration limit) throws IOException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long lastProgress = start;
        int started = 0;
        int pending = 0;
        while (connections.size() < wanted) {
            while (pending < CONNECTS_IN_FLIGHT && started < wanted) {
                started++;
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    if (channel.connect(server)) {
                        connected(channel, channel.register(selector, 0));
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT);
                        pending++;
                    }
                } catch (IOException e) {
                    channel.close(); // refused, or out of local ports: counted as not connected
                }
            }
            long now = System.nanoTime();
            if (pending == 0 && started == wanted) {
                break;
            }
            if (now >= deadline || now - lastProgress >= CONNECT_STALL_NANOS) {
                break;
            }
            selector.select(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(deadline - now))));
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove();
                SocketChannel channel = (SocketChannel) key.channel();
                pending--;
                try {
                    if (channel.finishConnect()) {
                        connected(channel, key);
                        lastProgress = System.nanoTime();
                    }
                } catch (IOException e) {
                    key.cancel();
                    channel.close();
                }
            }
        }
        // Connects still waiting are given up.
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() == null) {
                key.cancel();
                key.channel().close();
            }
        }
        for (Connection c : connections) {
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Turns a connect's key into a connection's: from now on it waits to read. */
    private void connected(SocketChannel channel, SelectionKey key) {
        Connection c = new Connection(channel, connections.size() % REQUESTS.length);
        connections.add(c);
        c.key = key;
        key.attach(c);
        key.interestOps(0); // no reading until the connect phase is over; see openAll
    }

    /** Returns how many connections were asked for. */
    public int asked() {
        return asked;
    }

    /** Returns how many connections are open now. */
    public int connected() {
        int n = 0;
        for (Connection c : connections) {
            if (!c.closed) {
                n++;
            }
        }
        return n;
    }

    /**
     * Drives every open connection for a warm-up and then a measured interval; only the measured
     * interval is reported.
     *
     * @param  depth   requests each connection keeps outstanding: 1 for a closed loop
     * @param  warmup  how long to drive before measuring
     * @param  measure how long to measure
     * @return what the measured interval saw
     * @throws IOException if the selector fails
     */
    public LoadResult run(int depth, Duration warmup, Duration measure) throws IOException {
        begin(depth);
        for (Connection c : connections) {
            c.toSend = Long.MAX_VALUE;
        }
        sending = true;
        topUpAll(System.nanoTime());
        drive(System.nanoTime() + warmup.toNanos(), false);
        latencies.reset();
        answers = 0;
        for (Connection c : connections) {
            c.answeredInRun = 0;
        }
        recording = true;
        cpuAtStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        drive(start + measure.toNanos(), false);
        long end = System.nanoTime();
        return finish(Duration.ofNanos(end - start), end);
    }

    /**
     * Has every open connection ask a fixed number of requests, and waits for their answers.
     *
     * @param  perConnection how many requests each connection sends
     * @param  depth         requests each connection keeps outstanding: 1 for a closed loop
     * @param  limit         the longest to wait for all the answers
     * @return what the run saw; its window is the time the run took
     * @throws IOException if the selector fails
     */
    public LoadResult ask(long perConnection, int depth, Duration limit) throws IOException {
        begin(depth);
        unfinished = 0;
        for (Connection c : connections) {
            c.toSend = perConnection;
            c.answeredInRun = 0;
            if (!c.closed && perConnection > 0) {
                unfinished++;
            }
        }
        sending = true;
        recording = true;
        cpuAtStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        topUpAll(start);
        drive(start + limit.toNanos(), true);
        long end = System.nanoTime();
        return finish(Duration.ofNanos(end - start), end);
    }

    private void begin(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, not " + depth);
        }
        this.depth = depth;
        latencies.reset();
        answers = 0;
        wrongAnswers = 0;
        firstWrong = "";
        lost = 0;
        recording = false;
    }

    private LoadResult finish(Duration window, long end) {
        Duration cpu = Duration.ofNanos(Math.max(0, threads.getCurrentThreadCpuTime() - cpuAtStart));
        sending = false;
        recording = false;
        int silent = 0;
        long unanswered = 0;
        for (Connection c : connections) {
            if (c.closed) {
                continue;
            }
            for (int i = 0; i < c.outstanding; i++) {
                record(end - c.sentAt[(c.head + i) % c.sentAt.length]);
            }
            unanswered += c.outstanding;
            if (c.answeredInRun == 0) {
                silent++;
            }
        }
        return new LoadResult(connections.size(), depth, window, answers, wrongAnswers, firstWrong, lost, silent,
                unanswered, latencies.copy(), cpu);
    }

    private void drive(long until, boolean counted) throws IOException {
        while (true) {
            long now = System.nanoTime();
            if (now >= until || (counted && unfinished == 0)) {
                return;
            }
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now)));
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove();
                Connection c = (Connection) key.attachment();
                if (c.closed || !key.isValid()) {
                    continue;
                }
                if (key.isWritable()) {
                    writeUnsent(c);
                }
                if (!c.closed && key.isReadable()) {
                    read(c);
                }
            }
        }
    }

    private void read(Connection c) {
        in.clear();
        int n;
        try {
            n = c.channel.read(in);
        } catch (IOException reset) {
            n = -1;
        }
        if (n < 0) {
            lose(c);
            return;
        }
        long now = System.nanoTime();
        in.flip();
        while (in.hasRemaining()) {
            byte b = in.get();
            if (c.outstanding == 0) {
                wrong(c, "an answer to no request: " + text(b, in));
                return;
            }
            if (c.answerLength == LONGEST_ANSWER) {
                wrong(c, expected(c) + ", got \"" + new String(c.answer, StandardCharsets.ISO_8859_1) + "...\"");
                return;
            }
            c.answer[c.answerLength++] = b;
            if (b == Zen.ANSWER_END) {
                int q = c.question[c.head];
                if (!Arrays.equals(c.answer, 0, c.answerLength, ANSWERS[q], 0, ANSWERS[q].length)) {
                    wrong(c, expected(c) + ", got \""
                            + new String(c.answer, 0, c.answerLength, StandardCharsets.ISO_8859_1) + "\"");
                    return;
                }
                long sent = c.sentAt[c.head];
                c.head = (c.head + 1) % c.sentAt.length;
                c.outstanding--;
                c.answerLength = 0;
                c.answeredInRun++;
                if (recording) {
                    answers++;
                    record(now - sent);
                }
                if (c.toSend == 0 && c.outstanding == 0 && !c.closed) {
                    unfinished--;
                }
            }
        }
        topUp(c, now);
    }

    private static String expected(Connection c) {
        int q = c.question[c.head];
        return "asked \"" + new String(REQUESTS[q], StandardCharsets.US_ASCII) + "\", expected \""
                + new String(ANSWERS[q], StandardCharsets.US_ASCII) + "\"";
    }

    private static String text(byte first, ByteBuffer rest) {
        byte[] shown = new byte[Math.min(40, 1 + rest.remaining())];
        shown[0] = first;
        rest.get(shown, 1, shown.length - 1);
        return "\"" + new String(shown, StandardCharsets.ISO_8859_1) + "\"";
    }

    private void record(long nanos) {
        latencies.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    private void topUpAll(long now) {
        for (Connection c : connections) {
            if (!c.closed) {
                topUp(c, now);
            }
        }
    }

    /** Sends as many requests as it takes to have {@code depth} outstanding, in one write. */
    private void topUp(Connection c, long now) {
        if (!sending || c.unsent != null || c.closed) {
            return;
        }
        long n = Math.min(depth - c.outstanding, c.toSend);
        if (n <= 0) {
            return;
        }
        out.clear();
        for (long i = 0; i < n && out.remaining() >= Zen.MAX_REQUEST_BYTES; i++) {
            int q = c.nextQuestion;
            c.nextQuestion = (q + 1) % REQUESTS.length;
            out.put(REQUESTS[q]);
            c.push(q, now);
            c.toSend--;
        }
        out.flip();
        try {
            c.channel.write(out);
        } catch (IOException e) {
            lose(c);
            return;
        }
        if (out.hasRemaining()) {
            // The socket is full: keep the rest and wait until it can take more.
            c.unsent = ByteBuffer.allocate(out.remaining()).put(out).flip();
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void writeUnsent(Connection c) {
        try {
            c.channel.write(c.unsent);
        } catch (IOException e) {
            lose(c);
            return;
        }
        if (!c.unsent.hasRemaining()) {
            c.unsent = null;
            c.key.interestOps(SelectionKey.OP_READ);
            topUp(c, System.nanoTime());
        }
    }

    private void wrong(Connection c, String what) {
        wrongAnswers++;
        if (firstWrong.isEmpty()) {
            firstWrong = what;
        }
        shut(c);
    }

    private void lose(Connection c) {
        lost++;
        shut(c);
    }

    private void shut(Connection c) {
        if (c.closed) {
            return;
        }
        if (c.toSend > 0 || c.outstanding > 0) {
            unfinished--; // a counted run no longer waits for it
        }
        c.closed = true;
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException e) {
            // Closed all the same.
        }
    }

    /** Closes every connection. */
    @Override
    public void close() {
        for (Connection c : connections) {
            c.closed = true;
            try {
                c.channel.close();
            } catch (IOException e) {
                // Closed all the same.
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing left to do with it.
        }
    }
}
