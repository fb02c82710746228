package org.multiplex.select;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;

/**
 * Task 2.2: the select loop alone, driven through a {@link ProbeServer}, a test's own subclass of
 * your {@link SelectServer} that echoes what it reads and counts what the loop hands it.
 */
class SelectLoopTest {

    /** How long a client waits for what a correct server sends within milliseconds. */
    private static final int WAIT_MS = 2000;

    @Graded(task = "2.2")
    void sleeps_in_select_while_nobody_talks() throws Exception {
        LoopWatch.watch(() -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            try (ProbeServer server = new ProbeServer()) {
                InetSocketAddress address = server.start();
                try (Socket idle = connect(address)) {
                    echo(idle, "hello", "an echo of its first bytes");
                    long cpuBefore = mx.getThreadCpuTime(server.loop.threadId());
                    long wakeUpsBefore = contextSwitches(server.task);
                    // Nothing happens for a second: that quiet is the behaviour under test.
                    Thread.sleep(1000);
                    long spent = TimeUnit.NANOSECONDS.toMillis(mx.getThreadCpuTime(server.loop.threadId()) - cpuBefore);
                    long wakeUps = contextSwitches(server.task) - wakeUpsBefore;
                    assertThat(spent).withFailMessage("the loop's thread used %d ms of CPU in one second while its one"
                            + " client sat idle: it spins instead of sleeping in select(). Call select(), not"
                            + " selectNow() or select(timeout); close() wakes it with wakeup()", spent)
                            .isLessThan(100);
                    assertThat(wakeUps).withFailMessage("the loop's thread woke %d times in one second while its one"
                            + " client sat idle: it spins instead of sleeping in select(). Call select(), not"
                            + " selectNow() or select(timeout) with a short timeout; close() wakes it with"
                            + " wakeup()", wakeUps).isLessThan(50);
                }
            }
        });
    }

    @Graded(task = "2.2", points = 2)
    void removes_each_selected_key_so_that_a_wake_up_visits_only_the_ready_clients() throws Exception {
        LoopWatch.watch(() -> {
            int clients = 20;
            try (ProbeServer server = new ProbeServer()) {
                InetSocketAddress address = server.start();
                List<Socket> sockets = new ArrayList<>();
                try {
                    for (int i = 0; i < clients; i++) {
                        sockets.add(connect(address));
                    }
                    // One client at a time, so that each wake-up finds exactly one client ready.
                    for (int i = 0; i < clients; i++) {
                        echo(sockets.get(i), "x", "the echo of client " + i + "'s byte");
                    }
                    int calls = server.readableCalls.get();
                    int empty = server.emptyReads.get();
                    assertThat(empty).withFailMessage("%d clients each sent one byte in turn; the loop called readable()"
                            + " %d times, %d of them for a client with nothing to read: a key left in the"
                            + " selected-key set comes back on every wake-up with its old ready bits. Remove each"
                            + " selected key through the iterator (ready.remove()) before handling it",
                            clients, calls, empty).isLessThan(clients);
                } finally {
                    for (Socket s : sockets) {
                        s.close();
                    }
                }
            }
        });
    }

    @Graded(task = "2.2")
    void skips_a_key_cancelled_earlier_in_the_same_pass() throws Exception {
        LoopWatch.watch(() -> {
            try (ProbeServer server = new ProbeServer();
                 Socket a = new Socket(); Socket b = new Socket(); Socket holder = new Socket()) {
                InetSocketAddress address = server.start();
                for (Socket s : List.of(a, b, holder)) {
                    Todo.closeWhenReached(s);
                    s.connect(address);
                    s.setSoTimeout(WAIT_MS);
                    echo(s, "hi", "an echo of its first bytes");
                }
                // The probe holds the loop until a's and b's bytes wait together: both are in the
                // next pass's selected keys, and handling either drops (cancels) the other.
                send(holder, "~");
                assertThat(server.holding.await(WAIT_MS, TimeUnit.MILLISECONDS))
                        .withFailMessage("a client sent bytes and the loop did not hand it to readable() within 2 s")
                        .isTrue();
                send(a, "!");
                send(b, "!");
                // Whichever is handled first gets its echo and drops the other, which reads the end.
                int echoed = 0;
                for (Socket s : List.of(a, b)) {
                    echoed += echoOrEnd(s) ? 1 : 0;
                }
                assertThat(echoed).withFailMessage("two clients sent bytes in the same pass, and the first one"
                        + " handled drops the other; %d of them got an echo", echoed).isEqualTo(1);
                try (Socket newcomer = connect(address)) {
                    echo(newcomer, "still there?", "an echo after two clients, ready in the same pass, dropped each"
                            + " other");
                }
                assertThat(server.loop.isAlive()).withFailMessage("the loop's thread ended after two clients, ready"
                        + " in the same pass, dropped each other: skip a key that is no longer isValid()").isTrue();
            }
        });
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        Todo.closeWhenReached(socket);
        socket.connect(address, WAIT_MS);
        socket.setSoTimeout(WAIT_MS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Sends bytes and reads them back, or fails saying what did not come. */
    private static void echo(Socket socket, String text, String what) throws IOException {
        send(socket, text);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            while (got.size() < text.length()) {
                int b = in.read();
                assertThat(b).withFailMessage("a client sent '%s' and waited for %s; the server closed the"
                        + " connection instead", text, what).isNotNegative();
                got.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a client sent '" + text + "' and waited 2 s for " + what + "; "
                    + (got.size() == 0 ? "nothing came" : "only '" + got.toString(US_ASCII) + "' came")
                    + ": does the loop hand every readable key to readable()?");
        }
        assertThat(got.toString(US_ASCII)).as("the echo of '%s'", text).isEqualTo(text);
    }

    /** Reads one echoed byte: true if it came, false if the connection ended; fails if nothing came. */
    private static boolean echoOrEnd(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a client sent '!' and waited 2 s for its echo or the end of its connection;"
                    + " nothing came: does the loop hand every readable key to readable()?");
        } catch (java.net.SocketException reset) {
            return false;
        }
    }

    /** Returns how often the thread has stopped running so far, or 0 where /proc is not there. */
    private static long contextSwitches(Path task) throws IOException {
        if (task == null || !Files.isReadable(task.resolve("status"))) {
            return 0;
        }
        long n = 0;
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return n;
    }
}
