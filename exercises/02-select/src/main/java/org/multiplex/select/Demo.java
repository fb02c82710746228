package org.multiplex.select;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.multiplex.kit.Todo;
import org.multiplex.kit.zen.ZenClient;

/**
 * Lesson 2's demo: a hundred Zen clients served by one thread, then three people in a chat room.
 */
public final class Demo {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private Demo() {
    }

    /** Runs the demo. */
    public static void main(String[] args) throws IOException {
        try {
            zen();
            chat();
        } catch (IOException | RuntimeException e) {
            System.out.println("The demo failed: " + Todo.explain(e));
        }
    }

    private static void zen() throws IOException {
        try (SelectZenServer server = new SelectZenServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            List<ZenClient> clients = new ArrayList<>();
            try {
                // Every client sends half a request; none is answered yet, and none blocks the rest.
                for (int i = 0; i < 100; i++) {
                    ZenClient client = ZenClient.connect(address);
                    client.send("Simple is better");
                    clients.add(client);
                }
                int answered = 0;
                for (ZenClient client : clients) {
                    client.send(" than?");
                    if (client.readAnswer().equals("Complex.")) {
                        answered++;
                    }
                }
                System.out.printf("SelectZenServer: %d clients, %d answered, by %d server thread(s): %s%n",
                        clients.size(), answered, server.stats().threads().size(), server.stats().threads().values());
            } finally {
                for (ZenClient client : clients) {
                    client.close();
                }
            }
        }
    }

    private static void chat() throws IOException {
        try (SelectChatServer server = new SelectChatServer(ANY_PORT)) {
            InetSocketAddress address = server.start();
            try (Chatter ann = new Chatter(address, "ann");
                 Chatter bob = new Chatter(address, "bob")) {
                ann.expectLine();               // bob joined
                try (Chatter cat = new Chatter(address, "cat")) {
                    ann.expectLine();           // cat joined
                    bob.expectLine();           // cat joined
                    ann.say("hello, everyone");
                    bob.expectLine();
                    cat.expectLine();
                }
                ann.expectLine();               // cat left
            }
        }
    }

    /** A person in the chat room who prints what reaches them. */
    private static final class Chatter implements AutoCloseable {
        private final String who;
        private final Socket socket;
        private final BufferedReader in;
        private final PrintWriter out;

        Chatter(InetSocketAddress address, String who) throws IOException {
            this.who = who;
            this.socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(5000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            expectLine(); // the welcome
        }

        void say(String line) {
            System.out.printf("  %s says: %s%n", who, line);
            out.print(line + "\n");
            out.flush();
        }

        void expectLine() throws IOException {
            System.out.printf("  %s reads: %s%n", who, in.readLine());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
