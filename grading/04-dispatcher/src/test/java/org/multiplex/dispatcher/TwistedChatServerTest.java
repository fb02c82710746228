package org.multiplex.dispatcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.multiplex.dispatcher.Fixtures.ANY_PORT;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;

/** Task 4.7: the seed's Twisted chat server on the Twisted-style layer, with real clients. */
class TwistedChatServerTest {

    /** A chat client that reads whole lines. */
    private static final class Chatter implements AutoCloseable {
        final Socket socket = new Socket();
        final BufferedReader in;
        final String name;

        Chatter(InetSocketAddress address) throws IOException {
            Todo.closeWhenReached(socket);
            socket.connect(address);
            socket.setSoTimeout((int) Fixtures.PATIENCE.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            name = "127.0.0.1:" + socket.getLocalPort();
        }

        void say(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(UTF_8));
        }

        /** Reads a line; fails, saying what was awaited, if none comes within the patience. */
        String readLine(String awaited) throws IOException {
            try {
                return in.readLine();
            } catch (SocketTimeoutException e) {
                return fail("%s waited %d s for a line and none came: %s", name, Fixtures.PATIENCE.toSeconds(), awaited);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Graded(task = "4.7", points = 3)
    void welcomes_each_client_by_its_address_and_sends_every_line_to_every_client_the_sender_too()
            throws Exception {
        try (TwistedChatServer server = new TwistedChatServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (Chatter ann = new Chatter(address); Chatter bob = new Chatter(address); Chatter cat = new Chatter(address)) {
                for (Chatter c : new Chatter[] {ann, bob, cat}) {
                    assertThat(c.readLine("the welcome, written in connectionMade")).as("%s's first line", c.name)
                            .isEqualTo("Welcome to the chat server, " + c.name);
                }
                // As the seed's sendAll: to every client, the sender too (lesson 2's chat spares it).
                bob.say("hello, every");
                bob.say("one\nand good");
                bob.say("bye\n");
                for (Chatter c : new Chatter[] {ann, bob, cat}) {
                    String hint = "bob's line, sent in pieces, to every client: does dataReceived join the pieces"
                            + " into lines and hand each to lineReceived?";
                    assertThat(c.readLine(hint)).as("%s's line after the welcome", c.name).isEqualTo(bob.name + ": hello, everyone");
                    assertThat(c.readLine(hint)).as("%s's next line", c.name).isEqualTo(bob.name + ": and goodbye");
                }
            }
        }
    }

    @Graded(task = "4.7", points = 2)
    void a_line_over_the_maximum_length_ends_only_its_senders_connection() throws Exception {
        try (TwistedChatServer server = new TwistedChatServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (Chatter ann = new Chatter(address); Chatter flooder = new Chatter(address)) {
                assertThat(ann.readLine("the welcome")).startsWith("Welcome");
                assertThat(flooder.readLine("the welcome")).startsWith("Welcome");
                try {
                    flooder.say("x".repeat(LineOnlyReceiver.MAX_LENGTH + 100));
                    assertThat(flooder.readLine("the end of its connection, after an unfinished line longer than"
                            + " maxLength(): an unfinished line that is too long already goes to lineLengthExceeded"))
                            .as("what the flooder reads next (null: its connection ended)").isNull();
                } catch (SocketException reset) {
                    // Closed while it was still sending: ended all the same.
                }
                ann.say("still here?\n");
                assertThat(ann.readLine("ann's own line, after the flooder was dropped")).as("ann's line, after the"
                        + " flooder was dropped").isEqualTo(ann.name + ": still here?");
                try (Chatter late = new Chatter(address)) {
                    assertThat(late.readLine("a newcomer's welcome")).as("a newcomer's welcome, after a flooder was dropped").startsWith("Welcome");
                }
            }
        }
    }
}
