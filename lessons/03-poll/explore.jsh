// Lesson 3, live: one connection whose interest you switch by hand, from reading to writing and back.
// jshell loads this file without echoing anything, so each step prints what it found.
// When it is done the prompt is yours, and every variable and helper below is still there.
import java.nio.ByteBuffer
import java.nio.channels.*
import java.nio.charset.StandardCharsets
import org.multiplex.kit.zen.Zen

// Helpers. jshell compiles each top-level line on its own, which takes longer than the waits we
// want to see, so every timed step happens inside one method.
Selector selector = Selector.open()
void say(String step, Object what) { System.out.printf("%-38s %s%n", step, what); }
String ops(int bits) {
    List<String> names = new ArrayList<>();
    if ((bits & SelectionKey.OP_READ) != 0) names.add("OP_READ");
    if ((bits & SelectionKey.OP_WRITE) != 0) names.add("OP_WRITE");
    return names.isEmpty() ? "nothing" : String.join("|", names);
}
// Waits up to a timeout; says how many keys came back and after how long; empties the selected set.
String select(long timeoutMillis) throws IOException {
    long start = System.nanoTime();
    int ready = selector.select(timeoutMillis);
    long micros = (System.nanoTime() - start) / 1000;
    selector.selectedKeys().clear();
    return ready + " key(s) ready after " + (micros < 1000 ? micros + " us" : micros / 1000 + " ms");
}
// Counts how often select() returns in a given time: a loop with nothing to do should count 0.
int wakeUpsIn(long millis) throws IOException {
    int count = 0;
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
        count += selector.select(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        selector.selectedKeys().clear();
    }
    return count;
}

// A connected pair: `client` is the client, `conn` the server's end of the same connection.
ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
SocketChannel client = SocketChannel.open(listener.getLocalAddress())
SocketChannel conn = listener.accept()
conn.configureBlocking(false)

// Every connection starts waiting to read. The client has sent nothing, so select sleeps out its timeout.
SelectionKey key = conn.register(selector, SelectionKey.OP_READ)
say("interest " + ops(key.interestOps()) + ": select(200)", select(200))

// Switch to OP_WRITE with nothing to write. The send buffer of a fresh socket is empty: writable at once.
key.interestOps(SelectionKey.OP_WRITE)
say("interest " + ops(key.interestOps()) + ": select(1000)", select(1000))
say("  ready for", ops(key.readyOps()))

// It stays writable, so a loop that leaves this interest on never sleeps: count its wake-ups in 100 ms.
say("  wake-ups in 100 ms", wakeUpsIn(100))

// Back to OP_READ: the same loop sleeps again.
key.interestOps(SelectionKey.OP_READ)
say("interest " + ops(key.interestOps()) + ": wake-ups in 100 ms", wakeUpsIn(100))

// Now one turn of the switch, by hand. The client asks, and the server's end becomes readable.
client.write(ByteBuffer.wrap("Simple is better than?".getBytes(StandardCharsets.US_ASCII)))
say("request sent: select(1000)", select(1000))
say("  ready for", ops(key.readyOps()))

// Read the request, put its answer in an out buffer: an answer waits, so switch to OP_WRITE.
ByteBuffer in = ByteBuffer.allocate(64)
ByteBuffer out = ByteBuffer.allocate(64)
conn.read(in)
out.put(Zen.answer(Arrays.copyOf(in.array(), in.position())))
in.clear()
key.interestOps(SelectionKey.OP_WRITE)
say("answer waiting, interest " + ops(key.interestOps()), select(1000))

// Writable: send what the socket takes and keep any rest; nothing left, so switch back to OP_READ.
out.flip()
say("conn.write(out)", conn.write(out) + " bytes written")
out.compact()
key.interestOps(out.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ)
say("left in out: " + out.position() + " bytes", "interest " + ops(key.interestOps()))
ByteBuffer got = ByteBuffer.allocate(64)
client.read(got)
say("the client reads", new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII))

// A partial write. A second client shrinks its send buffer and writes a whole mebibyte without
// blocking; its peer, `conn2`, reads nothing. The kernel takes what fits and leaves the rest in `big`.
SocketChannel client2 = SocketChannel.open()
client2.setOption(StandardSocketOptions.SO_SNDBUF, 4096)
client2.connect(listener.getLocalAddress())
SocketChannel conn2 = listener.accept()
client2.configureBlocking(false)
ByteBuffer big = ByteBuffer.allocate(1 << 20)
say("client2.write(1 MiB)", client2.write(big) + " bytes taken, " + big.remaining() + " left in big")

// The rest stays in `big`, and the next write starts where this one stopped. Do what a server
// does with it: wait for OP_WRITE, write what fits, again, until select sleeps out a whole timeout.
SelectionKey key2 = client2.register(selector, SelectionKey.OP_WRITE)
long writeWhileWritable(SocketChannel channel, ByteBuffer buffer) throws IOException {
    long taken = 0;
    while (buffer.hasRemaining() && selector.select(200) > 0) {
        selector.selectedKeys().clear();
        taken += channel.write(buffer);
    }
    return taken;
}
say("client2 writes while writable", writeWhileWritable(client2, big) + " more bytes taken, " + big.remaining() + " left")

// Nothing more fits while the peer reads nothing, and waiting for OP_WRITE costs nothing: select sleeps.
say("buffers full, interest OP_WRITE", select(200))

// The peer reads everything that arrived; room appears, and the key becomes writable again.
long drain(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
    long total = 0;
    for (int n; (n = channel.read(sink.clear())) > 0; ) total += n;
    return total;
}
say("conn2 reads", drain(conn2) + " bytes")
say("room again: select(1000)", select(1000))
say("  client2's key is ready for", ops(key2.readyOps()))
say("client2.write(the rest)", client2.write(big) + " bytes taken, " + big.remaining() + " left")

System.out.println()
System.out.println("Now try it yourself, e.g.: key.interestOps(SelectionKey.OP_WRITE); select(1000)")
