package org.multiplex.dispatcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import org.multiplex.kit.Todo;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * Lesson 4's demo: three programs on one framework. The Zen server answers several clients, the
 * asyncore HTTP client downloads a file, and three people chat on the Twisted-style layer.
 */
public final class Demo {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Demo() {
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        try {
            zen();
            http();
            chat();
        } catch (IOException | RuntimeException e) {
            System.out.println("The demo failed: " + Todo.explain(e));
        }
    }

    private static void zen() throws IOException {
        System.out.println("DispatcherZenServer:");
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            // Ten clients each pipeline three requests before reading a single answer.
            int answered = ZenClient.crowd(address, 10, Zen.questions().subList(0, 3));
            System.out.printf("  %d clients, %d of %d pipelined requests answered in order, by %d thread(s): %s%n",
                    10, answered, 3 * 10, server.stats().threads().size(), server.stats().threads().values());
        }
    }

    private static void http() throws IOException {
        System.out.println();
        System.out.println("HttpClient, from the JDK's SimpleFileServer:");
        Path folder = Files.createTempDirectory("multiplex-demo");
        try {
            byte[] content = ("The Zen of Python, by Tim Peters\n\n" + String.join("\n", Zen.questions()) + "\n")
                    .repeat(2000).getBytes(StandardCharsets.US_ASCII);
            Files.write(folder.resolve("zen.txt"), content);
            HttpServer files = SimpleFileServer.createFileServer(ANY_PORT, folder.toAbsolutePath(),
                    SimpleFileServer.OutputLevel.NONE);
            files.start();
            try {
                URI url = URI.create("http://127.0.0.1:" + files.getAddress().getPort() + "/zen.txt");
                Path saved = folder.resolve("saved.txt");
                HttpClient client;
                try (FileChannel out = FileChannel.open(saved, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    client = HttpClient.get(url, out);
                }
                System.out.printf("  GET %s: HTTP %d, %,d of %,d bytes, %s%n", url, client.status(),
                        client.bodyBytes(), client.contentLength(),
                        client.failure().map(e -> "failed: " + Todo.explain(e))
                                .orElse(Arrays.equals(Files.readAllBytes(saved), content)
                                        ? "identical to the file served" : "NOT the file served"));
                URI missing = URI.create("http://127.0.0.1:" + files.getAddress().getPort() + "/missing.txt");
                HttpClient notFound = HttpClient.get(missing, Channels.newChannel(OutputStream.nullOutputStream()));
                System.out.printf("  GET %s: HTTP %d%n", missing, notFound.status());
            } finally {
                files.stop(0);
            }
        } finally {
            try (Stream<Path> all = Files.walk(folder)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        // A port that nothing listens on: one the system just gave out and took back.
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + closedPort + "/");
        HttpClient refused = HttpClient.get(nobody, Channels.newChannel(OutputStream.nullOutputStream()));
        System.out.printf("  GET %s: %s%n", nobody,
                refused.failure().map(Throwable::toString).orElse("HTTP " + refused.status()));
    }

    private static void chat() throws IOException {
        System.out.println();
        System.out.println("TwistedChatServer:");
        try (TwistedChatServer server = new TwistedChatServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (Chatter ann = new Chatter(address, "ann");
                 Chatter bob = new Chatter(address, "bob");
                 Chatter cat = new Chatter(address, "cat")) {
                ann.say("hello, everyone");
                ann.expectLine();
                bob.expectLine();
                cat.expectLine();
                bob.say("hi ann");
                ann.expectLine();
                bob.expectLine();
                cat.expectLine();
            }
        }
    }

    /** A person in the chat room who prints what reaches them. */
    private static final class Chatter implements AutoCloseable {
        private final String who;
        private final Socket socket;
        private final BufferedReader in;

        Chatter(InetSocketAddress address, String who) throws IOException {
            this.who = who;
            this.socket = new Socket(address.getAddress(), address.getPort());
            Todo.closeWhenReached(socket);
            socket.setSoTimeout(5000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            expectLine(); // the welcome
        }

        void say(String line) throws IOException {
            System.out.printf("  %s says: %s%n", who, line);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void expectLine() throws IOException {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the server closed " + who + "'s connection");
            }
            System.out.printf("  %s reads: %s%n", who, line);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
