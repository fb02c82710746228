package org.multiplex.kit.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.multiplex.kit.zen.Zen;

/**
 * Zen clients that send their requests the ways a network really delivers them, each in one call.
 *
 * <p>A server tested only with the polite {@link org.multiplex.kit.zen.ZenClient} sees every
 * request arrive whole, in a read of its own. TCP promises nothing of the kind: requests arrive a
 * byte at a time, several in one read, cut at random places, followed by a half-close or a reset,
 * or never ended at all. Each method here produces one of those and returns what the server
 * answered, so that a test states only what a correct server must answer.
 *
 * <p>Every method connects to a server on this machine only (a loopback address), and every wait
 * is bounded: each read gives up after {@link #DEFAULT_TIMEOUT} unless a time limit is given.
 * Writing runs on a thread of its own while answers are read, so a correct server never deadlocks
 * with these clients however many requests they send; that thread has ended when a method
 * returns.
 */
public final class Chaos {

    /** How long a read waits for the server unless the caller says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The largest piece {@link #fragmented} writes at once; a piece is 1 to this many bytes. */
    public static final int MAX_FRAGMENT_BYTES = 32;

    /** The longest run of random bytes {@link #nonText} sends before its question mark. */
    public static final int MAX_NON_TEXT_BYTES = 256;

    private Chaos() {
    }

    /**
     * Sends requests one byte per write and returns the answers.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests one or more requests, each ending with {@code '?'}
     * @return the answers, one per question mark, in the order they arrived
     * @throws IOException if the connection fails, or the server closes it or falls silent before
     *                     every answer arrived
     * @see    #sendByteByByte(InetSocketAddress, String, Duration)
     */
    public static List<String> sendByteByByte(InetSocketAddress server, String requests) throws IOException {
        return sendByteByByte(server, requests, DEFAULT_TIMEOUT);
    }

    /**
     * Sends requests one byte per write and returns the answers. With TCP_NODELAY on, each byte
     * leaves in a segment of its own, so a server reading as fast as it can sees many one-byte
     * reads: the worst case of a request split across reads.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests one or more requests, each ending with {@code '?'}
     * @param  timeout  how long each read may wait
     * @return the answers, one per question mark, in the order they arrived
     * @throws IOException if the connection fails, or the server closes it or falls silent before
     *                     every answer arrived
     */
    public static List<String> sendByteByByte(InetSocketAddress server, String requests, Duration timeout)
            throws IOException {
        byte[] bytes = Sockets.bytes(requests);
        try (Exchange exchange = Exchange.start(server, timeout,
                socket -> writeByteByByte(socket.getOutputStream(), bytes))) {
            return exchange.answers(Sockets.countRequests(bytes));
        }
    }

    /**
     * Sends every request in one write, then returns the answers.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests the requests, each ending with its only {@code '?'}
     * @return one answer per request, in the order they arrived
     * @throws IllegalArgumentException if a request does not end with its only question mark
     * @throws IOException              if the connection fails, or the server closes it or falls
     *                                  silent before every answer arrived
     * @see    #pipeline(InetSocketAddress, List, Duration)
     */
    public static List<String> pipeline(InetSocketAddress server, List<String> requests) throws IOException {
        return pipeline(server, requests, DEFAULT_TIMEOUT);
    }

    /**
     * Sends every request in one write, then returns the answers. One read on the server then
     * typically returns several requests at once; a server that answers only the first of each
     * read, or answers out of order, fails here.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests the requests, each ending with its only {@code '?'}
     * @param  timeout  how long each read may wait
     * @return one answer per request, in the order they arrived
     * @throws IllegalArgumentException if a request does not end with its only question mark
     * @throws IOException              if the connection fails, or the server closes it or falls
     *                                  silent before every answer arrived
     */
    public static List<String> pipeline(InetSocketAddress server, List<String> requests, Duration timeout)
            throws IOException {
        byte[] bytes = Sockets.bytes(String.join("", requests));
        for (String request : requests) {
            if (!request.endsWith("?") || request.indexOf('?') != request.length() - 1) {
                throw new IllegalArgumentException("each request must end with its only question mark; got \""
                        + request + "\"");
            }
        }
        try (Exchange exchange = Exchange.start(server, timeout, socket -> socket.getOutputStream().write(bytes))) {
            return exchange.answers(requests.size());
        }
    }

    /**
     * Sends requests in pieces of random size and returns the answers.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests one or more requests, each ending with {@code '?'}
     * @param  seed     chooses the pieces: the same seed cuts the same text the same way
     * @return the answers, one per question mark, in the order they arrived
     * @throws IOException if the connection fails, or the server closes it or falls silent before
     *                     every answer arrived
     * @see    #fragmented(InetSocketAddress, String, long, Duration)
     */
    public static List<String> fragmented(InetSocketAddress server, String requests, long seed) throws IOException {
        return fragmented(server, requests, seed, DEFAULT_TIMEOUT);
    }

    /**
     * Sends requests in pieces of 1 to {@link #MAX_FRAGMENT_BYTES} bytes, one write each, and
     * returns the answers. The pieces cut requests anywhere and often hold the end of one request
     * and the start of the next, as reads on a busy network do. The cuts depend only on the seed,
     * so a failure found with one seed can be replayed; TCP may still merge pieces on the way.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests one or more requests, each ending with {@code '?'}
     * @param  seed     chooses the pieces: the same seed cuts the same text the same way
     * @param  timeout  how long each read may wait
     * @return the answers, one per question mark, in the order they arrived
     * @throws IOException if the connection fails, or the server closes it or falls silent before
     *                     every answer arrived
     */
    public static List<String> fragmented(InetSocketAddress server, String requests, long seed, Duration timeout)
            throws IOException {
        byte[] bytes = Sockets.bytes(requests);
        try (Exchange exchange = Exchange.start(server, timeout,
                socket -> writeInPieces(socket.getOutputStream(), bytes, seed))) {
            return exchange.answers(Sockets.countRequests(bytes));
        }
    }

    /**
     * Sends requests, closes the sending half of the connection, and returns everything received.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests one or more requests, each ending with {@code '?'}
     * @return every byte the server sent before it closed the connection, as text
     * @throws IOException if the connection fails, or the server does not close it
     * @see    #halfClose(InetSocketAddress, String, Duration)
     */
    public static String halfClose(InetSocketAddress server, String requests) throws IOException {
        return halfClose(server, requests, DEFAULT_TIMEOUT);
    }

    /**
     * Sends requests in one write, closes the sending half of the connection (as {@code nc -N} or
     * a book's client with {@code shutdown(SHUT_WR)} does), and returns everything the server sends
     * until it closes. A correct server answers every request it was sent before it closes; one that
     * closes as soon as it reads the end of the stream loses the last answers, and one that never
     * notices the end makes this method time out.
     *
     * @param  server   where the server listens, on loopback
     * @param  requests one or more requests, each ending with {@code '?'}
     * @param  timeout  how long each read may wait
     * @return every byte the server sent before it closed the connection, as text
     * @throws java.net.SocketTimeoutException if the server neither sends nor closes within the
     *                                          time limit
     * @throws IOException                     if the connection fails
     */
    public static String halfClose(InetSocketAddress server, String requests, Duration timeout) throws IOException {
        byte[] bytes = Sockets.bytes(requests);
        try (Exchange exchange = Exchange.start(server, timeout, socket -> {
            socket.getOutputStream().write(bytes);
            socket.shutdownOutput();
        })) {
            return exchange.untilEndOfStream();
        }
    }

    /**
     * Connects, sends some bytes, and resets the connection.
     *
     * @param  server  where the server listens, on loopback
     * @param  partial the bytes to send first, usually part of a request; may be empty
     * @throws IOException if the connection fails
     * @see    #reset(InetSocketAddress, String, Duration)
     */
    public static void reset(InetSocketAddress server, String partial) throws IOException {
        reset(server, partial, DEFAULT_TIMEOUT);
    }

    /**
     * Connects, sends some bytes, and closes with SO_LINGER set to 0, so that the kernel sends a
     * reset (RST) in place of the usual end of stream (FIN). The server then sees its next read or
     * write fail with "connection reset": a correct server drops this client and goes on serving
     * the others.
     *
     * @param  server  where the server listens, on loopback
     * @param  partial the bytes to send first, usually part of a request; may be empty
     * @param  timeout how long the connect may wait
     * @throws IOException if the connection fails
     */
    public static void reset(InetSocketAddress server, String partial, Duration timeout) throws IOException {
        try (Socket socket = Sockets.connect(server, timeout)) {
            socket.getOutputStream().write(Sockets.bytes(partial));
            socket.setSoLinger(true, 0);
        }
    }

    /**
     * Sends a request too long for any server and reports whether the server closed the connection.
     *
     * @param  server where the server listens, on loopback
     * @param  bytes  how many bytes to send; more than {@link Zen#MAX_REQUEST_BYTES} for a request
     *                a server must refuse
     * @return whether the server closed the connection, and what it sent first
     * @throws IOException if the connection fails before anything is sent
     * @see    #oversized(InetSocketAddress, int, Duration)
     */
    public static OversizedResult oversized(InetSocketAddress server, int bytes) throws IOException {
        return oversized(server, bytes, DEFAULT_TIMEOUT);
    }

    /**
     * Sends {@code bytes} bytes of {@code 'x'} with no question mark, and reports whether the server
     * closed the connection (with an end of stream or a reset) within the time limit. A server that
     * buffers a request until its question mark, however long, would let one client take all its
     * memory; a correct one closes the connection once a request passes
     * {@link Zen#MAX_REQUEST_BYTES}. Writing failing because the server closed first is the expected
     * outcome, not an error.
     *
     * @param  server  where the server listens, on loopback
     * @param  bytes   how many bytes to send; more than {@link Zen#MAX_REQUEST_BYTES} for a request
     *                 a server must refuse
     * @param  timeout how long the server may go without sending anything or closing
     * @return whether the server closed the connection, and what it sent first
     * @throws IOException if the connection fails before anything is sent
     */
    public static OversizedResult oversized(InetSocketAddress server, int bytes, Duration timeout)
            throws IOException {
        byte[] request = new byte[bytes];
        Arrays.fill(request, (byte) 'x');
        try (Exchange exchange = Exchange.start(server, timeout, socket -> {
            try {
                socket.getOutputStream().write(request);
            } catch (IOException closedByServer) {
                // The server closed the connection before taking every byte: what it should do.
            }
        })) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                exchange.in().transferTo(received);
                return new OversizedResult(true, received.toString(StandardCharsets.UTF_8));
            } catch (SocketTimeoutException stillOpen) {
                return new OversizedResult(false, received.toString(StandardCharsets.UTF_8));
            } catch (SocketException reset) {
                if (exchange.socket().isClosed()) {
                    // Closed on this side (a stub reached on the server closes every kit client):
                    // that says nothing of what the server did.
                    throw reset;
                }
                return new OversizedResult(true, received.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Sends random bytes that are not text, then a question mark, and returns the answer.
     *
     * @param  server where the server listens, on loopback
     * @param  seed   chooses the bytes: the same seed sends the same request
     * @return the server's answer
     * @throws IOException if the connection fails, or the server closes it or falls silent before
     *                     answering
     * @see    #nonText(InetSocketAddress, long, Duration)
     */
    public static String nonText(InetSocketAddress server, long seed) throws IOException {
        return nonText(server, seed, DEFAULT_TIMEOUT);
    }

    /**
     * Sends one request of 1 to {@link #MAX_NON_TEXT_BYTES} random bytes, control characters,
     * zeros and bytes that are not UTF-8 among them but no question mark, ended by {@code '?'},
     * and returns the answer. A server that handles bytes as bytes answers it like any other request
     * not in the table; one that decodes text first may choke, or find a question mark that was not
     * sent.
     *
     * @param  server  where the server listens, on loopback
     * @param  seed    chooses the bytes: the same seed sends the same request
     * @param  timeout how long each read may wait
     * @return the server's answer
     * @throws IOException if the connection fails, or the server closes it or falls silent before
     *                     answering
     */
    public static String nonText(InetSocketAddress server, long seed, Duration timeout) throws IOException {
        byte[] request = nonTextRequest(seed);
        try (Exchange exchange = Exchange.start(server, timeout, socket -> socket.getOutputStream().write(request))) {
            return exchange.answers(1).getFirst();
        }
    }

    /** Writes one byte per write call. */
    static void writeByteByByte(OutputStream out, byte[] bytes) throws IOException {
        for (byte b : bytes) {
            out.write(b);
            // A socket's stream has no buffer, so this costs nothing; it keeps each byte a write
            // of its own should the stream ever be buffered.
            out.flush();
        }
    }

    /** Writes bytes in pieces of 1 to MAX_FRAGMENT_BYTES, the sizes drawn from the seed. */
    static void writeInPieces(OutputStream out, byte[] bytes, long seed) throws IOException {
        Random random = new Random(seed);
        for (int from = 0; from < bytes.length; ) {
            int size = Math.min(1 + random.nextInt(MAX_FRAGMENT_BYTES), bytes.length - from);
            out.write(bytes, from, size);
            out.flush();
            from += size;
        }
    }

    /** Returns the request nonText sends for a seed: random bytes without '?', then '?'. */
    static byte[] nonTextRequest(long seed) {
        Random random = new Random(seed);
        byte[] request = new byte[1 + random.nextInt(MAX_NON_TEXT_BYTES) + 1];
        for (int i = 0; i < request.length - 1; i++) {
            byte b;
            do {
                b = (byte) random.nextInt(256);
            } while (b == Zen.REQUEST_END);
            request[i] = b;
        }
        // Random bytes are almost never text; this makes "almost" certain, whatever the seed.
        request[0] = (byte) 0xff;
        request[request.length - 1] = Zen.REQUEST_END;
        return request;
    }
}
