package org.multiplex.kit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.multiplex.kit.Todo;
import org.multiplex.kit.net.ConnectionStats;

/**
 * The promises of the course's chat servers (the seed's select chat server, from lesson 2 on), as
 * checks that a lesson's graded tests run against their own server: a newcomer is welcomed by
 * name and announced, every line reaches every other chatter once and in order as
 * {@code name: line}, departures are announced, resets are survived, lines are framed however the
 * bytes are cut, and an oversized line ends only its sender, after an error line.
 */
public final class ChatServerChecks {

    /**
     * A running chat server, as the checks see it.
     *
     * @param address  where it listens
     * @param stats    what it has counted
     * @param chatters how many chatters are connected now
     * @param maxLine  the longest line it accepts, in bytes, line end not counted
     */
    public record Target(InetSocketAddress address, ConnectionStats stats, LongSupplier chatters, int maxLine) {
    }

    private ChatServerChecks() {
    }

    /** A newcomer is welcomed by its address and announced to the others; its departure too. */
    public static void welcomesByNameAndAnnouncesArrivalsAndDepartures(Target server) throws Exception {
        {
            InetSocketAddress address = server.address();
            try (Chatter ann = new Chatter(address)) {
                assertThat(ann.line("ann's welcome")).as("what a newcomer (ann) reads first")
                        .isEqualTo("Welcome to the chat server, " + ann.name());
                try (Chatter bob = new Chatter(address)) {
                    assertThat(bob.line("bob's welcome")).as("what a newcomer (bob) reads first")
                            .isEqualTo("Welcome to the chat server, " + bob.name());
                    assertThat(ann.line("the notice that bob joined")).as("what ann reads when bob arrives")
                            .isEqualTo("* " + bob.name() + " joined");
                }
                assertThat(ann.line("the notice that bob left (he closed his connection): is a chatter who leaves"
                        + " announced?")).as("what ann reads when bob leaves").isEqualTo("* " + bobName(ann) + " left");
            }
        }
    }

    /** Four senders and eight listeners: every line reaches every other chatter once, in order. */
    public static void deliversEveryLineToEveryOtherChatterOnceInOrder(Target server) throws Exception {
        int senders = 4;
        int listeners = 8;
        int lines = 25;
        {
            InetSocketAddress address = server.address();
            List<Chatter> all = new ArrayList<>();
            try {
                for (int i = 0; i < senders + listeners; i++) {
                    Chatter c = new Chatter(address);
                    // Closed in the end even if its welcome never comes.
                    all.add(c);
                    c.line("a welcome");
                }
                // Wait until everyone has heard of everyone who came after them.
                for (int i = 0; i < all.size(); i++) {
                    for (int j = i + 1; j < all.size(); j++) {
                        assertThat(all.get(i).line("the notices of the chatters who joined after it"))
                                .as("what a chatter reads when others join").endsWith(" joined");
                    }
                }
                for (int n = 0; n < lines; n++) {
                    for (int s = 0; s < senders; s++) {
                        all.get(s).say("message " + n);
                    }
                }
                for (int s = 0; s < senders; s++) {
                    all.get(s).say("done");
                }
                for (Chatter listener : all.subList(senders, all.size())) {
                    Map<String, List<String>> bySender = new HashMap<>();
                    int done = 0;
                    while (done < senders) {
                        String line = listener.line("the 25 lines of each of 4 senders");
                        int colon = line.indexOf(": ");
                        assertThat(colon).as("a chat line reads 'name: text', got %s", line).isPositive();
                        String text = line.substring(colon + 2);
                        if (text.equals("done")) {
                            done++;
                        } else {
                            bySender.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(text);
                        }
                    }
                    assertThat(bySender.keySet()).as("senders a listener heard (4 sent)").hasSize(senders);
                    List<String> expected = new ArrayList<>();
                    for (int n = 0; n < lines; n++) {
                        expected.add("message " + n);
                    }
                    bySender.forEach((sender, heard) -> assertThat(heard)
                            .as("lines from %s, in the order heard", sender).containsExactlyElementsOf(expected));
                }
                for (Chatter sender : all.subList(0, senders)) {
                    // A sender hears the other senders, never itself.
                    for (int k = 0; k < (senders - 1) * (lines + 1); k++) {
                        assertThat(sender.line("the other senders' lines")).as("a sender read its own line back:"
                                + " does broadcast skip the chatter it comes from?").doesNotStartWith(sender.name() + ":");
                    }
                }
            } finally {
                for (Chatter c : all) {
                    c.close();
                }
            }
        }
    }

    /** A chatter that resets is announced as gone and forgotten. */
    public static void forgetsAChatterThatResets(Target server) throws Exception {
        {
            InetSocketAddress address = server.address();
            try (Chatter ann = new Chatter(address)) {
                ann.line("ann's welcome");
                Chatter rude = new Chatter(address);
                rude.line("a welcome");
                assertThat(ann.line("the notice that a chatter joined")).endsWith(" joined");
                rude.reset();
                assertThat(ann.line("the notice that a chatter who reset its connection left"))
                        .as("what ann reads after a chatter's reset").isEqualTo("* " + rude.name() + " left");
                ann.say("anyone there?");
                eventually(() -> assertThat(server.chatters().getAsLong())
                        .as("chatters the server still counts 2 s after one of two reset: is a chatter that"
                                + " resets dropped?").isEqualTo(1));
                assertThat(server.stats().failedCount() + server.stats().closedCount())
                        .as("connections the server counted as failed or closed after a reset").isPositive();
            }
        }
    }

    /** Five crowds of ten chatters reset at once; a newcomer is still welcomed. */
    public static void keepsServingWhenManyChattersResetAtOnce(Target server) throws Exception {
        // When several resets land in one pass of the loop, the first one's leave notice fails
        // to reach the others and drops them while their keys still wait in the selected set.
        {
            InetSocketAddress address = server.address();
            for (int round = 0; round < 5; round++) {
                List<Chatter> crowd = new ArrayList<>();
                try {
                    for (int i = 0; i < 10; i++) {
                        Chatter c = new Chatter(address);
                        crowd.add(c);
                        c.line("a welcome");
                    }
                } finally {
                    for (Chatter c : crowd) {
                        c.reset();
                    }
                }
                eventually(() -> assertThat(server.chatters().getAsLong())
                        .as("chatters the server still counts 2 s after a crowd of 10 reset at once").isZero());
            }
            try (Chatter survivor = new Chatter(address)) {
                assertThat(survivor.line("a newcomer's welcome after 50 resets")).as("a newcomer's welcome after 50 resets")
                        .isEqualTo("Welcome to the chat server, " + survivor.name());
            }
        }
    }

    /** Lines split across segments are joined, lines sent together are split, and CRLF is a line end. */
    public static void framesLinesHoweverTheBytesAreCut(Target server) throws Exception {
        {
            InetSocketAddress address = server.address();
            try (Chatter ann = new Chatter(address); Chatter bob = new Chatter(address)) {
                ann.line("ann's welcome");
                bob.line("bob's welcome");
                ann.line("the notice that bob joined");
                bob.sendRaw("hel");
                bob.sendRaw("lo\r\nsecond\nthi");
                bob.sendRaw("rd\n");
                String lines = "bob's 3 lines, sent as 'hel', 'lo\\r\\nsecond\\nthi', 'rd\\n'";
                assertThat(List.of(ann.line(lines), ann.line(lines), ann.line(lines))).as("what ann read of %s: is"
                        + " every line kept whole across reads, and every line of one read handed out, without"
                        + " its line end?", lines).containsExactly(
                        bob.name() + ": hello", bob.name() + ": second", bob.name() + ": third");
            }
        }
    }

    /** An oversized line earns its sender an error line and the end of its connection; the others carry on. */
    public static void disconnectsOnlyTheSenderOfAnOversizedLine(Target server) throws Exception {
        {
            InetSocketAddress address = server.address();
            try (Chatter ann = new Chatter(address); Chatter bob = new Chatter(address)) {
                ann.line("ann's welcome");
                bob.line("bob's welcome");
                ann.line("the notice that bob joined");
                bob.sendRaw("y".repeat(server.maxLine() + 1) + "\n");
                String oversized = "a line of " + (server.maxLine() + 1) + " bytes";
                assertThat(bob.line("an error line after sending " + oversized))
                        .as("what the sender of %s reads", oversized).startsWith("Error: ");
                assertThat(bob.closed()).as("the sender of %s was disconnected", oversized).isTrue();
                assertThat(ann.line("the notice that the sender of " + oversized + " left"))
                        .as("what ann reads after bob sent %s", oversized).isEqualTo("* " + bob.name() + " left");
                try (Chatter cat = new Chatter(address)) {
                    cat.line("cat's welcome");
                    assertThat(ann.line("the notice that cat joined")).endsWith(" joined");
                    cat.say("still here");
                    assertThat(ann.line("cat's line")).isEqualTo(cat.name() + ": still here");
                }
            }
        }
    }

    /** Retries an assertion until it holds, for {@link #WAIT} at most; then fails with its own message. */
    private static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
            Thread.sleep(10); // polling the server's counts, not waiting for an event
        }
    }

    private static String bobName(Chatter ann) {
        return ann.lastOther;
    }

    /** How long a check waits for what a correct server does within milliseconds. */
    private static final Duration WAIT = Duration.ofSeconds(2);

    /** A chat client that reads lines with a time limit. */
    public static final class Chatter implements AutoCloseable {
        /** How long one read waits for a line that a correct server sends within milliseconds. */
        public static final Duration TIMEOUT = Duration.ofSeconds(2);
        private final Socket socket = new Socket();
        private final BufferedReader in;
        private final OutputStream out;
        private final String name;
        private String lastOther = "";

        public Chatter(InetSocketAddress address) throws IOException {
            Todo.closeWhenReached(socket);
            socket.connect(address);
            name = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
            socket.setSoTimeout((int) Chatter.TIMEOUT.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        /** Returns the name the server gives this chatter: its address as the server sees it. */
        public String name() {
            return name;
        }

        public String line() throws IOException {
            return line("a line from the server");
        }

        /**
         * Reads one line, or fails saying what did not arrive.
         *
         * @param  expecting what the line should be, for the failure message
         * @return the line, without its line end
         */
        public String line(String expecting) throws IOException {
            String line;
            try {
                line = in.readLine();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError(name + " waited " + TIMEOUT.toSeconds() + " s for " + expecting
                        + "; nothing came");
            }
            assertThat(line).as("%s: the server closed %s's connection instead", expecting, name).isNotNull();
            if (line.equals("* " + name + " joined") || line.startsWith(name + ": ")) {
                throw new AssertionError(name + " read its own line back, '" + line + "', waiting for " + expecting
                        + ": does broadcast skip the chatter it comes from?");
            }
            if (line.startsWith("* ") && line.endsWith(" joined")) {
                lastOther = line.substring(2, line.length() - " joined".length());
            }
            return line;
        }

        public void say(String text) throws IOException {
            sendRaw(text + "\n");
        }

        public void sendRaw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        public boolean closed() throws IOException {
            try {
                return in.readLine() == null;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
