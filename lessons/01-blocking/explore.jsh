// Lesson 1, live: blocking sockets, driven by hand.
// Start it from the repository root with
//     mvn -q compile exec:exec@jshell -Dlesson=1 -Dtree=solutions
// (leave out -Dtree=solutions to load your own classes). jshell runs this file quietly, so every
// step prints its own result; when it is done the prompt is yours, with every variable still there.
import java.io.*
import java.net.*
import java.nio.charset.StandardCharsets
import org.multiplex.blocking.*
import org.multiplex.kit.zen.*

void show(String expression, Object value) { System.out.println(expression + " ==> " + value); }

// A listening socket on a port the system picks: port 0 means "any free port".
ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
show("listener.getLocalPort()", listener.getLocalPort())

// A client connects. The kernel completes the handshake at once, even though nobody has called
// accept() yet: the connection waits in the listen backlog.
Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())
show("client.isConnected()", client.isConnected())

// accept() takes the waiting connection from the backlog and returns the server's end of it.
Socket server = listener.accept()
show("server.getRemoteSocketAddress()", server.getRemoteSocketAddress())

// Bytes written at one end arrive at the other, in order. One write is not one read, though:
// here the two writes may well come back from a single read.
client.getOutputStream().write("Beautiful is ".getBytes(StandardCharsets.US_ASCII))
client.getOutputStream().write("better than?".getBytes(StandardCharsets.US_ASCII))
byte[] buffer = new byte[100]
int n = server.getInputStream().read(buffer)
show("bytes read", n + " \"" + new String(buffer, 0, n, StandardCharsets.US_ASCII) + "\"")

// With nothing to read, read() blocks: the thread waits for the network. A time limit turns that
// wait into an exception, which is how this script avoids hanging here forever.
server.setSoTimeout(500)
String outcome;
try { server.getInputStream().read(buffer); outcome = "read returned"; } catch (SocketTimeoutException e) { outcome = "SocketTimeoutException after 500 ms: " + e.getMessage(); }
show("a read with nothing to read", outcome)

// The ZenRequestReader frames a stream into requests, whatever pieces the bytes arrive in.
ZenRequestReader reader = new ZenRequestReader(new ByteArrayInputStream("Simple is better than?Flat is better than?".getBytes(StandardCharsets.US_ASCII)))
show("reader.next()", new String(reader.next(), StandardCharsets.US_ASCII))
show("reader.next()", new String(reader.next(), StandardCharsets.US_ASCII))
show("reader.next() at the end of the stream", reader.next())

// When the client closes, the server's read returns -1: the end of the stream.
client.close()
server.setSoTimeout(2000)
show("server read after the client closed", server.getInputStream().read(buffer))
server.close()
listener.close()

// The lesson's blocking server, on a free port, asked by the kit's client.
BlockingZenServer zen = new BlockingZenServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
InetSocketAddress address = zen.start()
ZenClient asker = ZenClient.connect(address)
show("asker.ask(\"Explicit is better than?\")", asker.ask("Explicit is better than?"))
asker.close()
show("zen.stats()", zen.stats())
zen.close()
System.out.println("Done. Try: var t = new ThreadedZenServer(new InetSocketAddress(\"127.0.0.1\", 0)); t.start()")
