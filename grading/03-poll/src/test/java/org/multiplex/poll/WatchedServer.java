package org.multiplex.poll;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.multiplex.kit.Todo;
import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * A {@link PollZenServer} started for one test on a port of the system's choosing, with its loop
 * thread watched: when a client is let down, the test can say whether the loop itself ended, and
 * with which exception, rather than only what the client saw.
 *
 * <p>Its {@link #failure} puts a test's failure message together: what the test did, what it saw,
 * and the likely cause, in the lesson's words.
 */
final class WatchedServer implements AutoCloseable {

    /** How long a test waits for what a correct server does within milliseconds. */
    static final Duration PATIENCE = Duration.ofSeconds(2);

    private static final String LOOP_THREAD = "poll-zen-server";

    private final PollZenServer server;
    private final InetSocketAddress address;
    private final Thread loop;
    private volatile Throwable ending;

    private WatchedServer(PollZenServer server, InetSocketAddress address, Thread loop) {
        this.server = server;
        this.address = address;
        this.loop = loop;
    }

    /** Starts a server on the loopback address and an ephemeral port. */
    static WatchedServer start() throws IOException {
        Set<Thread> before = loopThreads();
        PollZenServer server = new PollZenServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress address = server.start();
        Thread loop = loopThreads().stream().filter(t -> !before.contains(t)).findFirst().orElse(null);
        WatchedServer watched = new WatchedServer(server, address, loop);
        if (loop != null) {
            loop.setUncaughtExceptionHandler((t, e) -> {
                watched.ending = e;
                e.printStackTrace();
            });
        }
        return watched;
    }

    private static Set<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(LOOP_THREAD))
                .collect(Collectors.toSet());
    }

    InetSocketAddress address() {
        return address;
    }

    ConnectionStats stats() {
        return server.stats();
    }

    PollZenServer server() {
        return server;
    }

    /**
     * Says how the server's loop ended, if it has: the exception that escaped it, where it was
     * thrown, and what such an exception usually means in this lesson.
     *
     * @return the explanation, or null while the loop runs
     */
    String loopEnded() {
        if (loop == null || loop.isAlive()) {
            return null;
        }
        return howTheLoopEnded();
    }

    private String howTheLoopEnded() {
        Throwable e = ending;
        if (e == null) {
            return "the server's loop has ended, and every client with it";
        }
        if (e instanceof Todo) {
            return e.getMessage();
        }
        String where = Arrays.stream(e.getStackTrace())
                .filter(f -> f.getClassName().startsWith("org.multiplex.poll."))
                .findFirst()
                .map(f -> " in " + f.getClassName().substring("org.multiplex.poll.".length()) + "." + f.getMethodName()
                        + " (line " + f.getLineNumber() + ")")
                .orElse("");
        String why = switch (e) {
            case BufferOverflowException overflow -> "an answer was put into out with less room left than it needs;"
                    + " answer only while out has room for LONGEST_ANSWER bytes";
            case BufferUnderflowException underflow -> "a buffer was read past its limit; is it flipped before it is"
                    + " drained, and compacted after?";
            default -> "an exception that escapes the loop ends the server for every client; an IOException of"
                    + " one connection must reach the step, which closes only that connection";
        };
        return "the server's loop ended with " + e.getClass().getSimpleName() + where + ": " + why;
    }

    /**
     * Makes a test's failure: what it did, what it saw, and the likely cause, which is how the
     * loop ended if it has.
     *
     * @param did  what the test did, as "the client sent ..."
     * @param saw  what it saw
     * @param hint the likely cause, in the lesson's words, when the loop still runs
     */
    AssertionError failure(String did, String saw, String hint) {
        if (loop != null) {
            try {
                // A loop that an exception ends closes every connection on its way out: the client
                // may see the close a moment before the thread is gone.
                loop.join(Duration.ofMillis(300));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String ended = loopEnded();
        return new AssertionError(did + "; " + saw + ": " + (ended != null ? ended : hint));
    }

    /**
     * Waits, a little, for something a correct server does at once.
     *
     * @return whether it happened within {@link #PATIENCE}
     */
    boolean soon(BooleanSupplier condition) {
        try {
            Awaitility.await().pollInterval(Duration.ofMillis(10)).atMost(PATIENCE).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Connects a blocking client whose reads wait {@link #PATIENCE} at most. */
    ZenClient connect() throws IOException {
        return ZenClient.connect(address, PATIENCE);
    }

    /**
     * Sends a request and checks its answer.
     *
     * @param did  what the test did, for the failure message
     * @param hint the likely cause if the answer is wrong or does not come
     */
    void ask(ZenClient client, String request, String did, String hint) throws IOException {
        send(client, request, did, hint);
        expectAnswer(client, request, did, hint);
    }

    /**
     * Sends bytes as they are.
     *
     * @param did  what the test did, for the failure message
     * @param hint the likely cause if the server has closed the connection
     */
    void send(ZenClient client, String text, String did, String hint) {
        try {
            client.send(text);
        } catch (IOException e) {
            throw failure(did, "the server closed the connection before \"" + PipelinedClient.printable(text)
                    + "\" was sent", hint);
        }
    }

    /**
     * Reads the answer to a request sent before, and checks it.
     *
     * @param did  what the test did, for the failure message
     * @param hint the likely cause if the answer is wrong or does not come
     */
    void expectAnswer(ZenClient client, String request, String did, String hint) throws IOException {
        String answer;
        try {
            answer = readAnswer(client);
        } catch (SocketTimeoutException e) {
            throw failure(did, "no answer to \"" + request + "\" came in 2 s", hint);
        } catch (IOException e) {
            throw failure(did, "the server closed the connection instead of answering \"" + request + "\"", hint);
        }
        if (!answer.equals(Zen.answer(request))) {
            throw failure(did, "the answer to \"" + request + "\" was \"" + PipelinedClient.printable(answer)
                    + "\", not \"" + Zen.answer(request) + "\"", hint);
        }
    }

    /**
     * Reads one answer: the bytes up to the next full stop, or as many as the longest answer and one
     * more, so that a server sending bytes that are no answer is found out at once.
     *
     * @return what was read
     * @throws SocketTimeoutException if nothing more came in {@link #PATIENCE}
     * @throws IOException            if the server closed or reset the connection
     */
    static String readAnswer(ZenClient client) throws IOException {
        InputStream in = client.socket().getInputStream();
        StringBuilder answer = new StringBuilder();
        while (answer.length() <= Zen.UNKNOWN.length()) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed");
            }
            answer.append((char) b);
            if (b == Zen.ANSWER_END) {
                break;
            }
        }
        return answer.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
