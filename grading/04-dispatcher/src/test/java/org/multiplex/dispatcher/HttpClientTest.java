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
                client = HttpClient.get(url, out);
            }
            assertThat(client.failure()).as("failure of GET %s", url).isEmpty();
            assertThat(client.status()).as("status").isEqualTo(200);
            assertThat(client.bodyBytes()).as("body bytes received").isEqualTo(content.length);
            assertThat(sha256(saved)).as("SHA-256 of the saved file (the served file's on the right)")
                    .isEqualTo(sha256(served));
            assertThat(client.succeeded()).as("succeeded()").isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Graded(task = "4.6", points = 1)
    void reports_the_status_of_a_missing_file() throws Exception {
        HttpServer server = fileServer();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/missing.txt");
            HttpClient client = HttpClient.get(url, Channels.newChannel(new ByteArrayOutputStream()));
            assertThat(client.failure()).as("failure of GET %s (a 404 is an answer, not a failure)", url).isEmpty();
            assertThat(client.status()).as("status").isEqualTo(404);
        } finally {
            server.stop(0);
        }
    }

    @Graded(task = "4.6", points = 2)
    void reports_a_refused_connection() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + LoopbackPair.closedPort() + "/");
        HttpClient client = HttpClient.get(url, Channels.newChannel(new ByteArrayOutputStream()));
        assertThat(client.failure()).as("failure of GET %s, where nothing listens", url).get()
                .isInstanceOf(ConnectException.class);
        assertThat(client.succeeded()).as("succeeded()").isFalse();
        assertThat(client.status()).as("status").isZero();
    }

    @Graded(task = "4.6", points = 3)
    void reports_a_server_that_closes_before_the_whole_body_and_sends_an_http_1_0_request() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> request = pool.submit(() -> serveOnce(listener,
                    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n" + "z".repeat(100)));
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/zen/of%20python.txt?lines=3");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpClient client = HttpClient.get(url, Channels.newChannel(body));

            assertThat(request.get(5, TimeUnit.SECONDS)).as("the request the client sent")
                    .startsWith("GET /zen/of%20python.txt?lines=3 HTTP/1.0\r\n").endsWith("\r\n\r\n");
            assertThat(client.failure()).as("failure, after a server promised 1000 body bytes and sent 100").get()
                    .isInstanceOf(EOFException.class)
                    .extracting(Throwable::getMessage).asString().contains("100").contains("1000");
            assertThat(client.bodyBytes()).as("body bytes received").isEqualTo(100);
            assertThat(body.toString(US_ASCII)).isEqualTo("z".repeat(100));
            assertThat(client.succeeded()).as("succeeded()").isFalse();
        }
    }

    @Graded(task = "4.6", points = 2)
    void reports_a_server_that_closes_in_the_middle_of_the_head() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> request = pool.submit(() -> serveOnce(listener, "HTTP/1.0 200 OK\r\nContent-Len"));
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
            HttpClient client = HttpClient.get(url, Channels.newChannel(new ByteArrayOutputStream()));
            request.get(5, TimeUnit.SECONDS);
            assertThat(client.failure()).as("failure, after a server sent half a head and closed").get()
                    .isInstanceOf(EOFException.class);
            assertThat(client.bodyBytes()).as("body bytes received").isZero();
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
