// Lesson 2, live: one selector, one listening channel, one client, driven by hand.
// jshell runs this file quietly, so every step prints its own result as "expression ==> value".
// When it is done, the prompt is yours: the variables below are still there to play with.
import java.nio.ByteBuffer
import java.nio.channels.*
import java.nio.charset.StandardCharsets
import org.multiplex.kit.zen.Zen

// A selector watches many channels for one thread.
Selector selector = Selector.open()

// Two helpers: one prints a step, the other names the keys in the selected set and what each is ready for.
void show(String expression, Object value) { System.out.println(expression + " ==> " + value); }
String describe(SelectionKey key) {
    String who = key.channel() instanceof ServerSocketChannel ? "listener" : "connection";
    if (!key.isValid()) return who + " (cancelled)";
    return who + (key.isAcceptable() ? " acceptable" : "") + (key.isReadable() ? " readable" : "");
}
List<String> selected() { return selector.selectedKeys().stream().map(k -> describe(k)).toList(); }

// A listening channel on a port the system picks. It must be non-blocking before it can register.
ServerSocketChannel listener = ServerSocketChannel.open()
listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
listener.configureBlocking(false)
SelectionKey listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT)
show("listener.getLocalAddress()", listener.getLocalAddress())

// Nobody has connected: selectNow() does not wait, and finds no key ready.
show("selector.selectNow()", selector.selectNow())
show("selected()", selected())

// A client connects. It is an ordinary blocking channel: only the server's side must not block.
SocketChannel client = SocketChannel.open(listener.getLocalAddress())

// Now the listener is ready to accept. select(1000) would wait up to a second; here it returns at once.
show("selector.select(1000)", selector.select(1000))
show("selected()", selected())

// Accept the connection, make it non-blocking, and register it for reading with a buffer attached.
SocketChannel conn = listener.accept()
conn.configureBlocking(false)
SelectionKey connKey = conn.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(64))
show("conn.getRemoteAddress()", conn.getRemoteAddress())

// The listener's key was never removed. Nothing new is ready, yet the selected set still holds it.
show("selector.selectNow()", selector.selectNow())
show("selected()", selected())

// A loop that trusted that stale key would accept again, and get null: nobody is waiting.
show("listener.accept()", listener.accept())

// So remove each key you handle: the selector never empties the selected set.
selector.selectedKeys().clear()
show("selected()", selected())

// The client sends half a request, and the connection becomes readable.
show("client.write(\"Simple is better\")", client.write(ByteBuffer.wrap("Simple is better".getBytes(StandardCharsets.US_ASCII))))
show("selector.select(1000)", selector.select(1000))
show("selected()", selected())

// Read what has arrived: the bytes sent so far, and no question mark yet.
ByteBuffer pending = (ByteBuffer) connKey.attachment()
show("conn.read(pending)", conn.read(pending))
selector.selectedKeys().clear()

// A second read finds nothing and returns 0 at once: a non-blocking read never waits.
show("conn.read(pending)", conn.read(pending))

// The rest of the request comes on a later wake-up; the attached buffer kept the first part.
show("client.write(\" than?\")", client.write(ByteBuffer.wrap(" than?".getBytes(StandardCharsets.US_ASCII))))
show("selector.select(1000)", selector.select(1000))
show("conn.read(pending)", conn.read(pending))
selector.selectedKeys().clear()
String request = new String(pending.array(), 0, pending.position(), StandardCharsets.US_ASCII)
show("request", request)

// Answer straight back, as this lesson's servers do, and let the client read the answer.
show("conn.write(answer)", conn.write(ByteBuffer.wrap(Zen.answer(request).getBytes(StandardCharsets.US_ASCII))))
ByteBuffer reply = ByteBuffer.allocate(64)
client.read(reply)
show("what the client read", new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII))

// The client leaves. End of stream makes the connection readable too, and read returns -1.
client.close()
show("selector.select(1000)", selector.select(1000))
show("selected()", selected())
show("conn.read(pending)", conn.read(pending))
selector.selectedKeys().clear()

// Cancel the key: it is invalid at once, but the selector lets go of it only at its next select.
connKey.cancel()
show("connKey.isValid()", connKey.isValid())
show("selector.keys().size()", selector.keys().size())
show("selector.selectNow()", selector.selectNow())
show("selector.keys().size()", selector.keys().size())

// Close everything: the connection, the listener, the selector.
conn.close()
listener.close()
selector.close()
show("selector.isOpen()", selector.isOpen())

// Once tasks 2.2 and 2.3 pass, ask your own server, running on its one thread:
//   var server = new org.multiplex.select.SelectZenServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
//   var zen = org.multiplex.kit.zen.ZenClient.connect(server.start())
//   zen.ask("Beautiful is better than?")
//   server.stats()
//   zen.close(); server.close()
