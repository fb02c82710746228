package org.multiplex.kit.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.multiplex.kit.Todo;
import org.multiplex.kit.zen.Zen;

/** What every chaos client does before it misbehaves: check the target and connect. */
final class Sockets {

    private Sockets() {
    }

    /**
     * Refuses any server not on this machine: these clients are attacks, and the course aims them
     * only at its own servers.
     *
     * @param  server the address to check
     * @return the same address
     * @throws IllegalArgumentException if the address is unresolved or not a loopback address
     */
    static InetSocketAddress requireLoopback(InetSocketAddress server) {
        if (server.getAddress() == null || !server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("chaos clients attack only servers on this machine (a loopback"
                    + " address such as 127.0.0.1); got " + server);
        }
        return server;
    }

    /**
     * Connects a blocking socket whose connect and reads are bounded by a time limit.
     *
     * @param  server  where the server listens, on loopback
     * @param  timeout how long the connect, and then each read, may wait
     * @return the connected socket, with TCP_NODELAY on
     * @throws IOException if the connection is refused, fails or times out
     */
    static Socket connect(InetSocketAddress server, Duration timeout) throws IOException {
        requireLoopback(server);
        Socket socket = new Socket();
        try {
            // A stub reached on the server would leave this client waiting its whole timeout.
            Todo.closeWhenReached(socket);
            // Without it the kernel may hold back small writes and merge them: the very
            // fragmentation these clients exist to produce would vanish.
            socket.setTcpNoDelay(true);
            socket.connect(server, millis(timeout));
            socket.setSoTimeout(millis(timeout));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Refuses a time limit that is not one.
     *
     * @param  timeout the time limit to check
     * @return the same time limit
     * @throws IllegalArgumentException if it is zero or negative
     */
    static Duration requirePositive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a time limit must be positive; got " + timeout);
        }
        return timeout;
    }

    /** Returns a time limit in the milliseconds socket options take, never 0 (which means forever). */
    static int millis(Duration timeout) {
        return Math.clamp(requirePositive(timeout).toMillis(), 1, Integer.MAX_VALUE);
    }

    /** Returns text as the bytes a Zen client sends. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns how many requests some bytes hold: one per question mark. */
    static int countRequests(byte[] bytes) {
        int count = 0;
        for (byte b : bytes) {
            if (b == Zen.REQUEST_END) {
                count++;
            }
        }
        return count;
    }

    /** Returns a time limit as people say it: "10 s", "250 ms". */
    static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
