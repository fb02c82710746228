package org.multiplex.kit.chaos;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiplex.kit.testing.Leaks;
import org.multiplex.kit.testing.SilentServer;
import org.multiplex.kit.testing.ThreadPerClientZenServer;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

class ChaosTest {

    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** Long enough for a correct server on a loaded machine, short enough to fail fast. */
    static final Duration LIMIT = Duration.ofSeconds(5);
    /** How long a test waits for a broken server it knows will never answer. */
    static final Duration BRIEF = Duration.ofMillis(300);

    static final String THREE = "Beautiful is better than?Explicit is better than?Simple is better than?";
    static final List<String> THREE_ANSWERS = List.of("Ugly.", "Implicit.", "Complex.");

    private ThreadPerClientZenServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start_server() throws IOException {
        server = new ThreadPerClientZenServer(ANY_PORT);
        address = server.start();
    }

    @AfterEach
    void close_server() {
        server.close();
    }

    @Test
    void byte_by_byte_requests_are_answered_in_order() throws IOException {
        assertThat(Chaos.sendByteByByte(address, THREE, LIMIT)).isEqualTo(THREE_ANSWERS);
    }

    @Test
    void byte_by_byte_makes_every_byte_a_write_of_its_own() throws IOException {
        Writes writes = new Writes();
        Chaos.writeByteByByte(writes, THREE.getBytes(US_ASCII));
        assertThat(writes.sizes).hasSize(THREE.length()).containsOnly(1);
        assertThat(writes.bytes.toString(US_ASCII)).isEqualTo(THREE);
    }

    @Test
    void pipelined_requests_are_answered_in_order() throws IOException {
        List<String> requests = manyRequests(1000);
        assertThat(Chaos.pipeline(address, requests, LIMIT)).isEqualTo(answersTo(requests));
    }

    @Test
    void pipeline_delivers_every_request_in_the_servers_first_read() throws IOException {
        List<String> requests = Zen.questions();
        Chaos.pipeline(address, requests, LIMIT);
        assertThat(server.readSizes()).first().as("bytes in the server's first read")
                .isEqualTo(String.join("", requests).length());
    }

    @Test
    void pipeline_refuses_a_request_that_does_not_end_with_its_only_question_mark() {
        assertThatThrownBy(() -> Chaos.pipeline(address, List.of("Simple is better than"), LIMIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Chaos.pipeline(address, List.of("Simple?Flat?"), LIMIT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fragmented_requests_are_answered_in_order_whatever_the_seed() throws IOException {
        List<String> requests = manyRequests(50);
        for (long seed = 0; seed < 10; seed++) {
            assertThat(Chaos.fragmented(address, String.join("", requests), seed, LIMIT)).as("seed %d", seed)
                    .isEqualTo(answersTo(requests));
        }
    }

    @Test
    void fragmented_cuts_the_same_text_the_same_way_for_a_seed_into_pieces_of_1_to_32_bytes() throws IOException {
        byte[] text = String.join("", manyRequests(50)).getBytes(US_ASCII);
        Writes first = new Writes();
        Writes again = new Writes();
        Writes otherSeed = new Writes();
        Chaos.writeInPieces(first, text, 7);
        Chaos.writeInPieces(again, text, 7);
        Chaos.writeInPieces(otherSeed, text, 8);

        assertThat(first.bytes.toByteArray()).isEqualTo(text);
        assertThat(first.sizes).allSatisfy(size -> assertThat(size).isBetween(1, Chaos.MAX_FRAGMENT_BYTES));
        assertThat(first.sizes.stream().distinct().count()).as("different sizes of piece").isGreaterThan(10);
        assertThat(again.sizes).isEqualTo(first.sizes);
        assertThat(otherSeed.sizes).isNotEqualTo(first.sizes);
        assertThat(otherSeed.bytes.toByteArray()).isEqualTo(text);
    }

    @Test
    void half_close_receives_every_answer_then_the_end_of_the_stream() throws IOException {
        assertThat(Chaos.halfClose(address, THREE, LIMIT)).isEqualTo(String.join("", THREE_ANSWERS));
        await().atMost(LIMIT).until(() -> server.stats().closedCount() == 1);
        assertThat(server.stats().leftMidRequestCount()).as("clients that left mid-request").isZero();
        assertThat(server.stats().failedCount()).as("connections that failed").isZero();
    }

    @Test
    void half_close_gives_up_when_the_server_never_closes() throws IOException {
        try (SilentServer silent = new SilentServer(ANY_PORT)) {
            InetSocketAddress silentAddress = silent.start();
            assertThatThrownBy(() -> Chaos.halfClose(silentAddress, THREE, BRIEF))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("neither sent anything nor closed");
        }
    }

    @Test
    void reset_shows_the_server_a_reset_not_an_end_of_stream() throws IOException {
        Chaos.reset(address, "Simple is", LIMIT);
        await().atMost(LIMIT).until(() -> server.stats().closedCount() == 1);
        assertThat(server.stats().failedCount()).as("connections that ended in an error").isOne();
        assertThat(server.stats().leftMidRequestCount()).as("clients that left cleanly mid-request").isZero();
    }

    @Test
    void reset_with_nothing_sent_leaves_the_server_answering_the_next_client() throws IOException {
        Chaos.reset(address, "", LIMIT);
        await().atMost(LIMIT).until(() -> server.stats().closedCount() == 1);
        assertThat(server.stats().failedCount()).as("connections that ended in an error").isOne();
        try (ZenClient next = ZenClient.connect(address, LIMIT)) {
            assertThat(next.ask("Simple is better than?")).isEqualTo("Complex.");
        }
    }

    @Test
    void oversized_request_is_reported_closed_by_a_server_that_refuses_it() throws IOException {
        OversizedResult result = Chaos.oversized(address, Zen.MAX_REQUEST_BYTES + 1, LIMIT);
        assertThat(result.closed()).isTrue();
        assertThat(result.received()).isEmpty();
    }

    @Test
    void oversized_request_of_a_megabyte_is_reported_closed_though_writing_fails() throws IOException {
        OversizedResult result = Chaos.oversized(address, 1 << 20, LIMIT);
        assertThat(result.closed()).isTrue();
        assertThat(server.stats().failedCount()).isOne();
    }

    @Test
    void oversized_request_is_reported_open_when_the_server_keeps_the_connection() throws IOException {
        try (SilentServer silent = new SilentServer(ANY_PORT)) {
            OversizedResult result = Chaos.oversized(silent.start(), 2 * Zen.MAX_REQUEST_BYTES, BRIEF);
            assertThat(result.closed()).isFalse();
            assertThat(result.received()).isEmpty();
        }
    }

    @Test
    void non_text_request_gets_the_answer_to_an_unknown_aphorism() throws IOException {
        for (long seed = 0; seed < 10; seed++) {
            assertThat(Chaos.nonText(address, seed, LIMIT)).as("seed %d", seed)
                    .endsWith(".").isEqualTo(Zen.UNKNOWN);
        }
    }

    @Test
    void non_text_request_is_bytes_that_are_not_text_then_its_only_question_mark() {
        for (long seed = 0; seed < 100; seed++) {
            byte[] request = Chaos.nonTextRequest(seed);
            assertThat(request.length).isBetween(2, Chaos.MAX_NON_TEXT_BYTES + 1);
            assertThat(request[request.length - 1]).isEqualTo(Zen.REQUEST_END);
            assertThat(Sockets.countRequests(request)).as("question marks in seed %d", seed).isOne();
            assertThatThrownBy(() -> UTF_8.newDecoder().decode(ByteBuffer.wrap(request))).as("text in seed %d", seed)
                    .isInstanceOf(CharacterCodingException.class);
            assertThat(Chaos.nonTextRequest(seed)).as("the same for the same seed").isEqualTo(request);
        }
        assertThat(Chaos.nonTextRequest(1)).isNotEqualTo(Chaos.nonTextRequest(2));
    }

    @Test
    void a_silent_server_makes_a_client_fail_after_its_time_limit_saying_what_arrived() throws IOException {
        try (SilentServer silent = new SilentServer(ANY_PORT)) {
            InetSocketAddress silentAddress = silent.start();
            assertThatThrownBy(() -> Chaos.sendByteByByte(silentAddress, THREE, BRIEF))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("waiting for 3 answers; received 0 answers []");
        }
    }

    @Test
    void a_server_that_closes_early_makes_a_client_fail_saying_what_arrived() {
        // The second request is past the size limit: the server answers the first, then closes.
        List<String> requests = List.of("Simple is better than?", "x".repeat(2 * Zen.MAX_REQUEST_BYTES) + "?");
        assertThatThrownBy(() -> Chaos.pipeline(address, requests, LIMIT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("before 2 answers; received 1 answer [Complex.]");
    }

    @Test
    void refuses_a_server_that_is_not_on_this_machine() {
        InetSocketAddress elsewhere = new InetSocketAddress("192.0.2.1", 1060);
        assertThatThrownBy(() -> Chaos.sendByteByByte(elsewhere, THREE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Chaos.reset(elsewhere, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdleCrowd.open(elsewhere, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NeverReader.connect(elsewhere)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlowClient.connect(elsewhere, "Simple?")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leaves_no_thread_or_socket_behind() throws IOException {
        Leaks.Snapshot before = Leaks.snapshot();
        Chaos.sendByteByByte(address, THREE, LIMIT);
        Chaos.pipeline(address, manyRequests(100), LIMIT);
        Chaos.fragmented(address, THREE, 1, LIMIT);
        Chaos.halfClose(address, THREE, LIMIT);
        Chaos.reset(address, "Simple", LIMIT);
        Chaos.oversized(address, 1 << 16, LIMIT);
        Chaos.nonText(address, 1, LIMIT);
        await().atMost(LIMIT).until(() -> server.stats().openCount() == 0);
        before.assertNothingLeft();
    }

    /** Returns requests cycling through the table, with a request it does not know among them. */
    static List<String> manyRequests(int count) {
        List<String> table = new ArrayList<>(Zen.questions());
        table.add("Complicated is better than?");
        return IntStream.range(0, count).mapToObj(i -> table.get(i % table.size())).toList();
    }

    static List<String> answersTo(List<String> requests) {
        return requests.stream().map(Zen::answer).toList();
    }

    /** An output stream that remembers the size of each write. */
    static final class Writes extends OutputStream {
        final List<Integer> sizes = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            sizes.add(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sizes.add(len);
            bytes.write(b, off, len);
        }
    }
}
