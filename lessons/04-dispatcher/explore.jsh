// Lesson 4, live: one loop, one dispatcher that writes down every event it gets, driven one pass
// at a time. jshell loads this file without echoing anything, so each step prints what it found.
// When it is done the prompt is yours, and every variable and helper below is still there.
import java.nio.ByteBuffer
import java.nio.channels.*
import java.nio.charset.StandardCharsets
import java.time.Duration
import org.multiplex.dispatcher.*

DispatcherLoop loop = new DispatcherLoop()
void say(String step, Object what) { System.out.printf("%-42s %s%n", step, what); }

// A dispatcher that records its events. readable() is always true; writable() is whatever
// wantWrite says, and its one write sends a greeting and then stops wanting to write.
class Rec extends Dispatcher {
    final List<String> events = new ArrayList<>();
    boolean wantWrite = true;
    Rec(DispatcherLoop loop) { super(loop); }
    @Override protected boolean readable() { return true; }
    @Override protected boolean writable() { return wantWrite; }
    @Override protected void handleConnect() { events.add("handleConnect"); }
    @Override protected void handleWrite() {
        events.add("handleWrite: sent " + send("hello\n".getBytes(StandardCharsets.US_ASCII)) + " bytes");
        wantWrite = false;
    }
    @Override protected void handleRead() {
        int n = recv(ByteBuffer.allocate(1024));
        events.add("handleRead: recv returned " + n);
    }
    @Override protected void handleClose() { events.add("handleClose"); close(); }
    @Override protected void handleError(Exception e) { events.add("handleError: " + e); close(); }
}

// Runs one pass, waiting at most 200 ms, and says what the dispatcher got in it.
String pass(Rec rec) throws IOException {
    long before = loop.passes();
    long start = System.nanoTime();
    loop.loop(Duration.ofMillis(200), 1);
    long millis = (System.nanoTime() - start) / 1_000_000;
    String got = rec.events.isEmpty() ? "no event" : String.join(", ", rec.events);
    rec.events.clear();
    return got + " (" + (loop.passes() - before) + " pass, " + millis + " ms)";
}

// A port to connect to, and a port that nothing listens on (the system gave it out and took it back).
ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
int closedPort; try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { closedPort = gone.getLocalPort(); }

// 1. Connect. The connect completes as a write event: handleConnect once, then the write it wants.
Rec rec = new Rec(loop)
rec.createSocket()
rec.connect((InetSocketAddress) listener.getLocalAddress())
say("connect, then one pass", pass(rec))
SocketChannel peer = listener.accept()
say("  the peer reads", peer.read(ByteBuffer.allocate(64)) + " bytes")

// 2. writable() is false now, and nothing arrives: the pass sleeps out its whole timeout.
say("writable() false, nothing to read", pass(rec))

// 3. The peer sends: a read event.
peer.write(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)))
say("the peer sends 2 bytes", pass(rec))

// 4. wantWrite again: the socket has room, so the write event comes at once.
rec.wantWrite = true
say("wantWrite = true", pass(rec))

// 5. The peer takes the greeting and closes. A read of no data is the close: it comes once, from
// inside recv, so it is written down before handleRead ends; then nothing at all.
say("  the peer reads", peer.read(ByteBuffer.allocate(64)) + " bytes")
peer.close()
say("the peer closes", pass(rec))
say("  dispatchers left in the loop", loop.size())

// 6. Connect to a closed port. The write event comes, finishConnect throws: handleError, never handleConnect.
Rec refused = new Rec(loop)
refused.createSocket()
refused.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort))
say("connect to a closed port", pass(refused))

System.out.println()
System.out.println("Now try it yourself, e.g.: rec = new Rec(loop); rec.createSocket(); rec.connect((InetSocketAddress) listener.getLocalAddress()); pass(rec)")
