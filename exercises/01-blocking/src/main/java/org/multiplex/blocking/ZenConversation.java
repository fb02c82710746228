package org.multiplex.blocking;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.zen.Zen;

/**
 * One client's conversation with a blocking Zen server: answer every request, in order, until the
 * client leaves. Both servers of this lesson run it; they differ only in how many run at once.
 */
final class ZenConversation {

    private ZenConversation() {
    }

    /**
     * Answers the client's requests until it closes the connection, then closes it too.
     *
     * @param client the connected client
     * @param stats  where to count what happened
     */
    static void serve(Socket client, ConnectionStats stats) {
        try (client) {
            converse(client, stats);
        } catch (EOFException e) {
            stats.leftMidRequest();
        } catch (IOException e) {
            // An oversized request (ProtocolException) or a reset: this client is gone, and only
            // this one; the server goes on.
            stats.failed();
        } finally {
            stats.closed();
        }
    }

    private static void converse(Socket client, ConnectionStats stats) throws IOException {
        // TODO(1.2): read each request with a ZenRequestReader and write its answer, until the client closes
        throw new org.multiplex.kit.Todo("1.2", "read each request with a ZenRequestReader and write its answer, until the client closes");
    }
}
