package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.LoopbackPair;

/** Task 4.6: the asyncore HTTP client, against a real server and against servers that misbehave. */
class HttpClientTest {

    @TempDir
    Path folder;

    private HttpServer fileServer() throws IOException {
        HttpServer server = SimpleFileServer.createFileServer(Fixtures.ANY_PORT, folder.toAbsolutePath(),
                SimpleFileServer.OutputLevel.NONE);
        server.start();
        return server;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Graded(task = "4.6", points = 3)
    void downloads_a_10_mb_file_byte_for_byte() throws Exception {
        byte[] content = new byte[10 * 1024 * 1024];
        new Random(4).nextBytes(content);
        Path served = Files.write(folder.resolve("big.bin"), content);
        Path saved = folder.resolve("saved.bin");
        HttpServer server = fileServer();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/big.bin");
            HttpClient client;
            try (FileChannel out = FileChannel.open(saved, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                client = Fixtures.fetch(url, out, () -> false);
            }
            assertThat(client.failure()).withFailMessage("GET of a 10 MiB file from the JDK's file server failed: %s."
                    + " The response comes in many reads; does handleRead hand every byte after the head to"
                    + " writeBody, those in the read that ended the head too?", client.failure().orElse(null))
                    .isEmpty();
            assertThat(client.status()).as("status of GET of a file that exists").isEqualTo(200);
            assertThat(client.bodyBytes()).withFailMessage("GET of a 10 MiB file gave %,d body bytes, not %,d: the"
                    + " response comes in many reads, and the bytes after the head in the same read as its end are"
                    + " body too", client.bodyBytes(), content.length).isEqualTo(content.length);
            assertThat(sha256(saved)).withFailMessage("the saved file has the right length but not the served"
                    + " bytes: does handleRead hand on each read's bytes once, in order?").isEqualTo(sha256(served));
            assertThat(client.succeeded()).as("succeeded() after a whole response and the server's close").isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Graded(task = "4.6", points = 1)
    void reports_the_status_of_a_missing_file() throws Exception {
        HttpServer server = fileServer();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/missing.txt");
            HttpClient client = Fixtures.fetch(url, Channels.newChannel(new ByteArrayOutputStream()), () -> false);
            assertThat(client.failure()).withFailMessage("GET of a missing file failed: %s. A 404 with its error page"
                    + " is a complete response, not a failure; are the body bytes after the head, in the same read,"
                    + " handed to writeBody?", client.failure().orElse(null)).isEmpty();
            assertThat(client.status()).as("status of GET of a missing file").isEqualTo(404);
        } finally {
            server.stop(0);
        }
    }

    @Graded(task = "4.6", points = 2)
    void reports_a_refused_connection() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + LoopbackPair.closedPort() + "/");
        HttpClient client = Fixtures.fetch(url, Channels.newChannel(new ByteArrayOutputStream()), () -> true);
        assertThat(client.failure()).as("failure of GET %s, where nothing listens (handleError keeps the first"
                + " failure)", url).get().isInstanceOf(ConnectException.class);
        assertThat(client.succeeded()).as("succeeded() after a refused connect").isFalse();
        assertThat(client.status()).as("status after a refused connect (0: no head came)").isZero();
    }

    @Graded(task = "4.6", points = 2)
    void reports_a_server_that_closes_before_the_whole_body_and_sends_an_http_1_0_request() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> request = pool.submit(() -> serveOnce(listener,
                    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n" + "z".repeat(100)));
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/zen/of%20python.txt?lines=3");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpClient client = Fixtures.fetch(url, Channels.newChannel(body), request::isDone);

            assertThat(request.get(5, TimeUnit.SECONDS)).as("the request the client sent")
                    .startsWith("GET /zen/of%20python.txt?lines=3 HTTP/1.0\r\n").endsWith("\r\n\r\n");
            assertThat(client.bodyBytes()).withFailMessage("a server sent its head and 100 body bytes in one write;"
                    + " the client counted %d body bytes: the bytes after the head, in the same read as its end,"
                    + " are body. Does handleRead writeBody the rest of that read, after takeHead?",
                    client.bodyBytes()).isEqualTo(100);
            assertThat(client.failure()).withFailMessage("a server promised Content-Length: 1000, sent 100 body"
                    + " bytes and closed; failure() was %s: at the close, fewer body bytes than Content-Length is a"
                    + " cut response, and handleClose must fail with an EOFException saying how many came of how"
                    + " many", client.failure()).get().isInstanceOf(EOFException.class)
                    .extracting(Throwable::getMessage).asString().contains("100").contains("1000");
            assertThat(body.toString(US_ASCII)).as("the body written, as far as it came").isEqualTo("z".repeat(100));
            assertThat(client.succeeded()).as("succeeded() after a body cut short").isFalse();
        }
    }

    @Graded(task = "4.6", points = 2)
    void reports_a_server_that_closes_in_the_middle_of_the_head() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> request = pool.submit(() -> serveOnce(listener, "HTTP/1.0 200 OK\r\nContent-Len"));
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
            HttpClient client = Fixtures.fetch(url, Channels.newChannel(new ByteArrayOutputStream()), request::isDone);
            request.get(5, TimeUnit.SECONDS);
            assertThat(client.failure()).withFailMessage("a server sent half a head and closed; failure() was %s: a"
                    + " close before the end of the head is a cut response, and handleClose must fail with an"
                    + " EOFException", client.failure()).get().isInstanceOf(EOFException.class);
            assertThat(client.bodyBytes()).as("body bytes received from a server that closed in the middle of the head").isZero();
        }
    }

    @Graded(task = "4.6", points = 1)
    void reports_a_head_alone_that_promised_a_body_and_accepts_one_that_promised_none() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
            Future<String> empty = pool.submit(() -> serveOnce(listener, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
            HttpClient complete = Fixtures.fetch(url, Channels.newChannel(new ByteArrayOutputStream()), empty::isDone);
            empty.get(5, TimeUnit.SECONDS);
            assertThat(complete.failure()).withFailMessage("a server sent a head with Content-Length: 0 and closed;"
                    + " failure() was %s: that response is complete", complete.failure()).isEmpty();
            assertThat(complete.status()).as("status of a head alone").isEqualTo(200);

            Future<String> promised = pool.submit(() -> serveOnce(listener,
                    "HTTP/1.0 200 OK\r\nContent-Length: 50\r\n\r\n"));
            HttpClient cut = Fixtures.fetch(url, Channels.newChannel(new ByteArrayOutputStream()), promised::isDone);
            promised.get(5, TimeUnit.SECONDS);
            assertThat(cut.failure()).withFailMessage("a server sent a head promising Content-Length: 50 and closed"
                    + " with no body at all; failure() was %s: fewer body bytes than Content-Length, even none, is"
                    + " a cut response, and handleClose must fail with an EOFException", cut.failure()).get()
                    .isInstanceOf(EOFException.class);
            assertThat(cut.succeeded()).as("succeeded() of a head alone that promised 50 body bytes").isFalse();
        }
    }

    /** Accepts one connection, reads its request head, sends a response as given, and closes. */
    private static String serveOnce(ServerSocket listener, String response) throws IOException {
        listener.setSoTimeout(5000);
        try (Socket socket = listener.accept()) {
            socket.setSoTimeout(5000);
            String request = Fixtures.readRequestHead(socket.getInputStream());
            socket.getOutputStream().write(response.getBytes(US_ASCII));
            return request;
        }
    }
}
