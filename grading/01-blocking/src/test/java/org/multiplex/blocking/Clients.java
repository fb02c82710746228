package org.multiplex.blocking;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.core.ConditionTimeoutException;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.testing.Leaks;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * What the socket tests of this lesson do with clients and servers, each with a short time limit and
 * a failure message that says what did not happen and what may be the cause.
 */
final class Clients {

    /**
     * How long a client waits for what a correct server sends within milliseconds: long enough for
     * a loaded machine, short enough that a wrong server fails fast.
     */
    static final Duration PATIENCE = Duration.ofSeconds(2);

    /** How long {@code close()} may take: it closes sockets and joins threads that end at once. */
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

    /** How long threads and sockets may take to go away once a server was closed. */
    static final Duration LEAK_LIMIT = Duration.ofSeconds(3);

    private Clients() {
    }

    /** Connects a client whose reads wait at most {@link #PATIENCE}. */
    static ZenClient connect(InetSocketAddress address) throws IOException {
        return ZenClient.connect(address, PATIENCE);
    }

    /**
     * Sends a request and returns its answer, or fails saying that no answer came.
     *
     * @param hint the likely cause, should no answer come
     */
    static String ask(ZenClient client, String request, String hint) throws IOException {
        client.send(request);
        return answer(client, "the client sent \"" + request + "\"", hint);
    }

    /**
     * Sends a request, and fails unless its answer (as {@code Zen.answer} gives it) comes back.
     *
     * @param hint the likely cause, should no answer come
     */
    static void expectAnswer(ZenClient client, String request, String hint) throws IOException {
        assertThat(ask(client, request, hint))
                .as("the answer to \"%s\" (a wrong one: is each request cut at its '?' and answered whole?)", request)
                .isEqualTo(Zen.answer(request));
    }

    /**
     * Reads one answer, or fails saying what the client did, what it saw and what may be the cause.
     *
     * @param situation what the client did, as "the client sent 6 requests in one write"
     * @param hint      the likely cause, should no answer come
     */
    static String answer(ZenClient client, String situation, String hint) throws IOException {
        try {
            return client.readAnswer();
        } catch (SocketTimeoutException e) {
            int seconds = client.socket().getSoTimeout() / 1000;
            return fail(situation + " and got no answer within " + seconds + " s: " + hint);
        } catch (EOFException | SocketException e) {
            // A reset too: a client that writes to a connection the server has closed gets one back.
            return fail(situation + ", and the server closed the connection before answering: " + hint);
        }
    }

    /**
     * Fails unless the server closes the client's connection within {@link #PATIENCE}.
     *
     * @param situation what happened, ending with a colon, as "after server.close():"
     * @param hint      the likely cause, should the connection stay open
     */
    static void expectClosed(ZenClient client, String situation, String hint) throws IOException {
        try {
            if (!client.serverClosed()) {
                fail(situation + " the server sent more bytes instead of closing the connection: " + hint);
            }
        } catch (SocketTimeoutException e) {
            fail(situation + " the connection stayed open for " + PATIENCE.toSeconds() + " s: " + hint);
        }
    }

    /**
     * Fails unless every thread started since the snapshot has ended, and no more file descriptors
     * (sockets) are open than then, within {@link #LEAK_LIMIT}.
     *
     * @param situation what happened since the snapshot, as "after server.close()"
     * @param hint      the likely cause, should something be left
     */
    static void expectNothingLeft(Leaks.Snapshot before, String situation, String hint) {
        try {
            await().atMost(LEAK_LIMIT).pollInSameThread().until(() -> before.newThreads().isEmpty());
        } catch (ConditionTimeoutException e) {
            fail("%s, these threads were still running %d s later: %s: %s", situation, LEAK_LIMIT.toSeconds(),
                    names(before.newThreads()), hint);
        }
        if (before.files() >= 0) {
            try {
                await().atMost(LEAK_LIMIT).pollInSameThread().until(() -> Leaks.openFileDescriptors() <= before.files());
            } catch (ConditionTimeoutException e) {
                fail("%s, %d more file descriptors (sockets) were open %d s later than before the server started: %s",
                        situation, Leaks.openFileDescriptors() - before.files(), LEAK_LIMIT.toSeconds(), hint);
            }
        }
    }

    /** Returns thread names as a failure message shows them: the first few, and how many more. */
    static String names(List<String> threads) {
        return threads.size() <= 4 ? threads.toString()
                : threads.subList(0, 4) + " and " + (threads.size() - 4) + " more";
    }

    /**
     * Returns what closes a server at the end of a try-with-resources block, and fails if
     * {@code close()} does not return within {@link #CLOSE_LIMIT}, instead of hanging the test.
     *
     * @param hint the likely cause, should close() not return
     */
    static Closing closing(Server server, String hint) {
        if (SPINNING.contains(server.getClass())) {
            fail("an earlier test found that server.close() never returns while a thread of the %s spins; this"
                    + " test would only add one more: %s", server.getClass().getSimpleName(), hint);
        }
        warmUp();
        return new Closing(server, hint);
    }

    /**
     * Servers whose close() did not return while one of their threads spun: each test would add a
     * thread spinning for good, and starve the tests after it, so further tests of that server fail
     * at once.
     */
    private static final Set<Class<?>> SPINNING = ConcurrentHashMap.newKeySet();

    private static volatile boolean warm;

    /**
     * Sends one request over a loopback connection to a thread of the test's own, once per JVM: the
     * JDK's first socket loads and compiles much, and a loaded machine should not charge that to
     * the first test's patience.
     */
    static void warmUp() {
        if (warm) {
            return;
        }
        warm = true;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answerer = Thread.ofPlatform().daemon().name("test-warm-up").start(() -> {
                try (Socket socket = listener.accept()) {
                    int b;
                    do {
                        b = socket.getInputStream().read();
                    } while (b >= 0 && b != Zen.REQUEST_END);
                    socket.getOutputStream().write(Zen.answer("Simple is better than?").getBytes(US_ASCII));
                } catch (IOException e) {
                    // The warm-up is best effort.
                }
            });
            try (ZenClient client = ZenClient.connect((InetSocketAddress) listener.getLocalSocketAddress())) {
                client.ask("Simple is better than?");
            }
            answerer.join(Duration.ofSeconds(10));
        } catch (IOException e) {
            // The warm-up is best effort: the tests say what is wrong.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns whether a thread of the server (named as its start() names them) uses CPU while nothing happens. */
    private static boolean spins() throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("blocking-zen") || t.getName().startsWith("threaded-zen")) {
                before.put(t.threadId(), mx.getThreadCpuTime(t.threadId()));
            }
        }
        // Nothing happens for this while: a thread that uses CPU meanwhile spins.
        Thread.sleep(300);
        for (Map.Entry<Long, Long> e : before.entrySet()) {
            if (mx.getThreadCpuTime(e.getKey()) - e.getValue() > 20_000_000L) {
                return true;
            }
        }
        return false;
    }

    /** Closes a server, and fails if {@code close()} does not return within {@link #CLOSE_LIMIT}. */
    static void closeWithin(Server server, String hint) {
        Thread closer = Thread.ofPlatform().daemon().name("test-server-close").start(server::close);
        try {
            if (!closer.join(CLOSE_LIMIT)) {
                if (spins()) {
                    SPINNING.add(server.getClass());
                }
                fail("server.close() did not return within " + CLOSE_LIMIT.toSeconds() + " s: " + hint);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for server.close()");
        }
    }

    /** A server to close during a test, or else at its end, once either way. */
    static final class Closing implements AutoCloseable {

        private final Server server;
        private final String hint;
        private boolean closed;

        private Closing(Server server, String hint) {
            this.server = server;
            this.hint = hint;
        }

        /** Closes the server now, and fails if close() does not return in time. */
        void closeNow() {
            closed = true;
            closeWithin(server, hint);
        }

        @Override
        public void close() {
            if (!closed) {
                closeNow();
            }
        }
    }
}
