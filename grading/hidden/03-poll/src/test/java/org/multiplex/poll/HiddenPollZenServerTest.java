package org.multiplex.poll;

import org.multiplex.kit.grading.Graded;
import org.multiplex.kit.zen.ZenClient;

/** Hidden checks of lesson 3: two clients whose requests interleave byte by byte. */
class HiddenPollZenServerTest {

    @Graded(task = "3.1", points = 2)
    void answers_two_clients_whose_requests_interleave_byte_by_byte() throws Exception {
        try (WatchedServer server = WatchedServer.start();
             ZenClient a = server.connect();
             ZenClient b = server.connect()) {
            String qa = "Beautiful is better than?";
            String qb = "Readability counts?";
            String did = "two clients sent their requests one byte per write, in turn";
            String hint = "each connection keeps its own unfinished request: does answerWhatFits keep it at the"
                    + " front of in (in.compact) until its ? arrives?";
            for (int i = 0; i < Math.max(qa.length(), qb.length()); i++) {
                if (i < qa.length()) {
                    server.send(a, qa.substring(i, i + 1), did, hint);
                }
                if (i < qb.length()) {
                    server.send(b, qb.substring(i, i + 1), did, hint);
                }
            }
            server.expectAnswer(b, qb, did, hint);
            server.expectAnswer(a, qa, did, hint);
        }
    }
}
