package org.multiplex.dispatcher;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The basic HTTP client of asyncore's documentation, in Java: it connects, sends an HTTP/1.0
 * {@code GET} while it is writable, and reads until the server closes.
 *
 * <p>HTTP/1.0 ends a response by closing the connection, so the end of the stream is the end of
 * the body. Two things can still go wrong there, and the client reports both: the server closes
 * before the end of the headers, or before as many body bytes as its {@code Content-Length}
 * promised. The head is parsed for the status and that length; the body goes to a channel (a file,
 * or standard output).
 *
 * <pre>
 * java org.multiplex.dispatcher.HttpClient http://localhost:8000/notes.txt notes.txt
 * </pre>
 */
public final class HttpClient extends Dispatcher {

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    /** The request not yet sent: the seed's {@code self.buffer}. */
    private final ByteBuffer request;
    private final WritableByteChannel body;
    private final ByteBuffer incoming = ByteBuffer.allocate(64 * 1024);
    /** The head as it arrives, until the blank line that ends it. */
    private final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD_BYTES);
    private boolean headDone;
    private int status;
    private long contentLength = -1;
    private long bodyBytes;
    private Exception failure;

    /**
     * Starts fetching a URL; the loop does the rest.
     *
     * @param loop the loop to run the client on
     * @param url  an {@code http:} URL
     * @param body where the body of the response goes
     */
    // tag::http-client[]
    public HttpClient(DispatcherLoop loop, URI url, WritableByteChannel body) {
        super(loop);
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("not an http:// URL: " + url);
        }
        this.body = body;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        // The seed sends the request line alone. Host names the site on a server with several
        // (nearly all today); an HTTP/1.0 server ignores it.
        this.request = ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: " + url.getHost() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        try {
            createSocket();
            connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()));
        } catch (IOException e) {
            failure = e;
        } catch (UnresolvedAddressException e) {
            failure = new UnknownHostException(url.getHost());
        }
    }

    @Override
    protected void handleConnect() {
        // Nothing to do: the request goes out at the write events that follow.
    }

    @Override
    protected boolean writable() {
        return request.hasRemaining();
    }

    @Override
    protected void handleWrite() {
        send(request); // what the socket does not take now stays in the buffer for the next event
    }
    // end::http-client[]

    @Override
    protected void handleRead() throws IOException {
        // TODO(4.6): recv into `incoming` (at the end of the stream handleClose has run: stop); until the head is done, takeHead(); then writeBody() with the rest
        throw new org.multiplex.kit.Todo("4.6", "recv into `incoming` (at the end of the stream handleClose has run: stop); until the head is done, takeHead(); then writeBody() with the rest");
    }

    /** The server closed: for HTTP/1.0 that ends the response, complete or not. */
    @Override
    protected void handleClose() {
        // TODO(4.6): the response ends here: fail with an EOFException if the head is not done, or if fewer body bytes came than Content-Length promised; then close
        throw new org.multiplex.kit.Todo("4.6", "the response ends here: fail with an EOFException if the head is not done, or if fewer body bytes came than Content-Length promised; then close");
    }

    /** A refused connection, a reset, a head that makes no sense, or a body that cannot be saved. */
    @Override
    protected void handleError(Exception e) {
        // TODO(4.6): keep the first failure, for failure() to report, and close
        throw new org.multiplex.kit.Todo("4.6", "keep the first failure, for failure() to report, and close");
    }

    /**
     * Adds what arrived to the head, up to the blank line that ends it; once it is complete,
     * parses it and leaves the buffer at the first byte of the body.
     */
    private void takeHead(ByteBuffer data) throws ProtocolException {
        while (data.hasRemaining() && !headDone) {
            if (!head.hasRemaining()) {
                throw new ProtocolException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            head.put(data.get());
            headDone = head.position() >= END_OF_HEAD.length
                    && head.slice(head.position() - END_OF_HEAD.length, END_OF_HEAD.length).equals(ByteBuffer.wrap(END_OF_HEAD));
        }
        if (headDone) {
            parseHead(new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1));
        }
    }

    private void parseHead(String text) throws ProtocolException {
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new ProtocolException("not an HTTP response: " + lines[0]);
        }
        try {
            status = Integer.parseInt(statusLine[1]);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                    contentLength = Long.parseLong(line.substring(colon + 1).trim());
                }
            }
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad number in the response head: " + e.getMessage());
        }
    }

    private void writeBody(ByteBuffer data) throws IOException {
        bodyBytes += data.remaining();
        while (data.hasRemaining()) {
            body.write(data);
        }
    }

    /** Returns the status code of the response, or 0 before its head has arrived. */
    public int status() {
        return status;
    }

    /** Returns how many body bytes have arrived and been written so far. */
    public long bodyBytes() {
        return bodyBytes;
    }

    /** Returns the Content-Length the server announced, or -1 if it did not. */
    public long contentLength() {
        return contentLength;
    }

    /**
     * Returns why the fetch failed, if it did: a refused connection, a reset, a server that closed
     * too early, a head that is not HTTP.
     */
    public Optional<Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /** Returns whether the whole response has arrived: the server closed and nothing failed. */
    public boolean succeeded() {
        return isClosed() && failure == null;
    }

    /**
     * Fetches a URL on a loop of its own, and returns when the response is complete or the fetch
     * has failed.
     *
     * @param  url  an {@code http:} URL
     * @param  body where the body goes
     * @return the finished client: its status, its byte count, its failure if any
     * @throws IOException if the loop's selector fails
     */
    public static HttpClient get(URI url, WritableByteChannel body) throws IOException {
        try (DispatcherLoop loop = new DispatcherLoop()) {
            HttpClient client = new HttpClient(loop, url, body);
            loop.loop(); // returns when the client has closed: the map is empty
            return client;
        }
    }

    /**
     * Fetches a URL and saves the body to a file, or prints it: {@code HttpClient URL [FILE]}.
     * Exits with status 1 if the fetch failed or the server answered with an error.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: HttpClient URL [FILE]");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        HttpClient client;
        if (args.length == 2) {
            try (FileChannel file = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                client = get(url, file);
            }
            System.err.printf("HTTP %d: saved %,d bytes to %s%n", client.status(), client.bodyBytes(), args[1]);
        } else {
            client = get(url, Channels.newChannel(System.out));
            System.out.flush();
        }
        if (client.failure().isPresent()) {
            System.err.println("HttpClient: " + client.failure().get());
            System.exit(1);
        }
        if (client.status() >= 400) {
            System.exit(1);
        }
    }
}
