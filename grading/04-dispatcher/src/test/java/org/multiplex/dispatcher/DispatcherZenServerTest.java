package org.multiplex.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.testing.ZenServerChecks;
import org.multiplex.kit.testing.ZenServerChecks.Target;

/** Task 4.4: the Zen server on DispatcherZenServer's framework keeps every promise of lesson 3. */
class DispatcherZenServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Runs a check against a server just started, then checks that one thread did all its work. */
    private static void check(Check check) throws Exception {
        try (DispatcherZenServer server = new DispatcherZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            check.run(new Target(address, server.stats(), server::peakBufferedBytes, DispatcherZenServer.bufferCap()));
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }

    @FunctionalInterface
    private interface Check {
        void run(Target server) throws Exception;
    }

    @Graded(task = "4.4", points = 3)
    @Timeout(60)
    void a_client_that_pipelines_100000_requests_before_reading_gets_every_answer_in_order() throws Exception {
        check(ZenServerChecks::answersAPipelinedFlood);
    }

    @Graded(task = "4.4", points = 3)
    @Timeout(60)
    void stops_reading_from_a_client_that_does_not_read_its_answers() throws Exception {
        check(ZenServerChecks::stopsReadingAClientThatDoesNotRead);
    }

    @Graded(task = "4.4", points = 3)
    void a_client_with_a_tiny_receive_buffer_that_reads_slowly_gets_every_byte() throws Exception {
        check(ZenServerChecks::servesASlowReaderWithATinyBuffer);
    }

    @Graded(task = "4.4", points = 2)
    void answers_a_client_that_half_closes_after_pipelining_then_closes() throws Exception {
        check(ZenServerChecks::answersAHalfCloseThenCloses);
    }

    @Graded(task = "4.4", points = 2)
    void uses_no_cpu_while_idle_nor_while_a_client_does_not_read_its_answers() throws Exception {
        check(ZenServerChecks::usesNoCpuWhileIdleNorWhileAClientDoesNotRead);
    }

    @Graded(task = "4.4", points = 1)
    void closes_only_the_client_whose_request_is_too_long_and_counts_one_that_left_mid_request() throws Exception {
        check(ZenServerChecks::closesOnlyAnOversizedRequestAndCountsALeaver);
    }
}
