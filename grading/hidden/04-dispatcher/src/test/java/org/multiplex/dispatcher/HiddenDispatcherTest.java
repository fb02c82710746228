package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.Channels;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ZenServerChecks;
import org.multiplex.kit.testing.ZenServerChecks.Target;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/**
 * Hidden checks of lesson 4: two Zen clients whose requests interleave byte by byte, a client that
 * resets while its answers wait, and an HTTP/1.0 response with no length whose head comes a byte
 * at a time.
 */
class HiddenDispatcherTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Graded(task = "4.4", points = 2)
    void answers_two_clients_whose_requests_interleave_byte_by_byte() throws Exception {
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (ZenClient a = ZenClient.connect(address, Fixtures.PATIENCE);
                 ZenClient b = ZenClient.connect(address, Fixtures.PATIENCE)) {
                String qa = "Beautiful is better than?";
                String qb = "Readability counts?";
                for (int i = 0; i < Math.max(qa.length(), qb.length()); i++) {
                    if (i < qa.length()) {
                        a.send(qa.substring(i, i + 1));
                    }
                    if (i < qb.length()) {
                        b.send(qb.substring(i, i + 1));
                    }
                }
                String hint = "two clients sent a request each, a byte at a time, interleaved: does each connection"
                        + " keep its own unanswered bytes in `in`, and answer a request once its last byte came?";
                try {
                    assertThat(b.readAnswer()).withFailMessage("wrong answer to %s: %s", qb, hint).isEqualTo(Zen.answer(qb));
                    assertThat(a.readAnswer()).withFailMessage("wrong answer to %s: %s", qa, hint).isEqualTo(Zen.answer(qa));
                } catch (SocketTimeoutException e) {
                    fail("no answer within %d s: %s", Fixtures.PATIENCE.toSeconds(), hint);
                }
            }
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }

    @Graded(task = "4.4", points = 2)
    void a_client_that_resets_while_its_answers_wait_costs_nobody_else_anything() throws Exception {
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try {
                ZenServerChecks.shrugsOffAResetMidResponse(
                        new Target(address, server.stats(), server::peakBufferedBytes, DispatcherZenServer.bufferCap()),
                        () -> assertThat(server.stats().openCount()).as("connections open: the one client left").isEqualTo(1));
            } catch (AssertionError | IOException e) {
                throw new AssertionError("a client that sent a million requests without reading reset its"
                        + " connection, beside another client: " + Fixtures.shorten(e.getMessage()) + ". A reset is one"
                        + " close (handleClose), of that connection only, and the other is answered on", e);
            }
        }
    }

    @Graded(task = "4.6", points = 2)
    void reads_a_response_with_no_length_to_the_close_when_its_head_comes_a_byte_at_a_time() throws Exception {
        String body = "Now is better than never.\r\nAlthough never is often better than *right* now.\r\n";
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<?> served = pool.submit(() -> {
                listener.setSoTimeout(5000);
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(5000);
                    socket.setTcpNoDelay(true);
                    Fixtures.readRequestHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    for (byte b : "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(US_ASCII)) {
                        out.write(b);
                        out.flush();
                    }
                    out.write(body.getBytes(US_ASCII));
                }
                return null;
            });
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            HttpClient client = Fixtures.fetch(url, Channels.newChannel(got), served::isDone);
            served.get(5, TimeUnit.SECONDS);
            assertThat(client.failure()).withFailMessage("a server sent a head a byte at a time, then a body with no"
                    + " Content-Length, and closed; failure() was %s: with no length, the close ends the body,"
                    + " and the response is complete", client.failure()).isEmpty();
            assertThat(client.status()).as("status of a response whose head came a byte at a time").isEqualTo(200);
            assertThat(got.toString(US_ASCII)).withFailMessage("a server sent a head a byte at a time, then a %d-byte"
                    + " body in one write and closed; the client wrote the body \"%s\": every byte after the end of"
                    + " the head is body, those in the read that ended the head too", body.length(),
                    Fixtures.shorten(got.toString(US_ASCII))).isEqualTo(body);
            assertThat(client.succeeded()).as("succeeded() of a response with no length, ended by the close").isTrue();
        }
    }
}
