// Lesson 2's SelectZenServer under lesson 3's flood: the same client as lesson 3's Demo
// (non-blocking, 4 KiB kernel buffers, a million one-byte "?" requests sent before any reading).
// From the repository root:
//   mvn -q compile exec:exec@jshell -Dlesson=2 -Dtree=solutions -Djshell.script=lessons/03-poll/select-flood.jsh

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.multiplex.select.SelectZenServer;

int REQUESTS = 1_000_000;

// Start lesson 2's server on a port the system picks.
SelectZenServer server = new SelectZenServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
InetSocketAddress address = server.start();

// Connect with small kernel buffers, so that they cannot hide what the server does.
SocketChannel client = SocketChannel.open();
client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
client.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
client.connect(address);
client.configureBlocking(false);
ByteBuffer requests = ByteBuffer.wrap("?".repeat(REQUESTS).getBytes(StandardCharsets.US_ASCII));

// Send without reading until the kernel takes no more (or the connection breaks).
String stopped = "the kernel stopped taking them";
int idle = 0;
try {
    while (requests.hasRemaining() && idle < 100) {
        idle = client.write(requests) == 0 ? idle + 1 : 0;
        LockSupport.parkNanos(100_000);
    }
} catch (IOException e) {
    stopped = "then writing failed: " + e.getMessage();
}
System.out.printf("The client sent %,d of %,d one-byte requests; %s.%n", requests.position(), REQUESTS, stopped);

// Now read every answer that comes, until the connection ends or ten quiet seconds pass.
ByteBuffer answers = ByteBuffer.allocate(64 * 1024);
long received = 0;
String ended = null;
long quietSince = System.nanoTime();
try {
    while (ended == null) {
        answers.clear();
        int n = client.read(answers);
        if (n < 0) {
            ended = "the server closed the connection";
        } else if (n > 0) {
            for (int i = 0; i < n; i++) {
                if (answers.get(i) == '.') {
                    received++;
                }
            }
            quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince > 10_000_000_000L) {
            ended = "nothing more came for ten seconds";
        } else {
            LockSupport.parkNanos(1_000_000);
        }
    }
} catch (IOException e) {
    ended = "reading failed: " + e.getMessage();
}
System.out.printf("Reading at last, the client got %,d answers; then %s.%n", received, ended);
System.out.printf("The server's own count: %,d answers written, %d connection failed, %d open.%n",
        server.stats().answeredCount(), server.stats().failedCount(), server.stats().openCount());

client.close();
server.close();
/exit
