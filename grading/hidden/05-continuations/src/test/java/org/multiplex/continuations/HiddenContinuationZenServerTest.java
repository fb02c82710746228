package org.multiplex.continuations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.Zen;
import org.multiplex.kit.zen.ZenClient;

/** Hidden checks of lesson 5: two clients whose requests interleave byte by byte, on one thread. */
class HiddenContinuationZenServerTest {

    @Graded(task = "5.6", points = 2)
    void answers_two_clients_whose_requests_interleave_byte_by_byte() throws Exception {
        ContinuationZenServer server = new ContinuationZenServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (Fixtures.Closing closing = Fixtures.closing(server, "two clients sent their requests byte by byte")) {
            InetSocketAddress address = server.start();
            java.time.Duration patience = java.time.Duration.ofSeconds(2);
            try (ZenClient a = ZenClient.connect(address, patience); ZenClient b = ZenClient.connect(address, patience)) {
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
                try {
                    assertThat(b.readAnswer()).as("answer to %s", qb).isEqualTo(Zen.answer(qb));
                    assertThat(a.readAnswer()).as("answer to %s", qa).isEqualTo(Zen.answer(qa));
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("two clients sent their requests one byte per write, in turn, and got no"
                            + " answer within " + patience.toSeconds() + " s: does the handler keep the unfinished"
                            + " rest of `in` (compact, not clear) from one read to the next?");
                }
            }
            assertThat(server.stats().threads()).as("threads that did the server's work").hasSize(1);
        }
    }
}
