// Lesson 5, live: a continuation that stops in the middle and goes on later, then a dispatcher
// of them. jshell loads this file without echoing anything, so each step prints what it found.
// When it is done the prompt is yours, and every variable below is still there.
import java.nio.ByteBuffer
import java.nio.channels.*
import java.nio.charset.StandardCharsets
import java.time.Duration
import org.multiplex.continuations.*

void say(String step, Object what) { System.out.printf("%-44s %s%n", step, what); }

// 1. The primitive, through the course's one wrapper: resume() runs the body until it suspends.
List<String> log = new ArrayList<>()
Coroutine counter = new Coroutine(() -> {
    for (int i = 1; i <= 3; i++) {
        log.add("step " + i);
        Coroutine.suspend();         // stops here; the next resume() returns here, i and all
    }
    log.add("done");
})
counter.resume()
say("after the first resume()", log + ", done: " + counter.isDone())
counter.resume()
counter.resume()
say("after two more", log + ", done: " + counter.isDone())
counter.resume()
say("after the fourth", log + ", done: " + counter.isDone())

// 2. Underneath it is jdk.internal.vm.Continuation, the JDK's own, under every virtual thread.
var scope = new jdk.internal.vm.ContinuationScope("jshell")
var raw = new jdk.internal.vm.Continuation(scope, () -> {
    System.out.println("    raw continuation: before yield, on " + Thread.currentThread().getName());
    jdk.internal.vm.Continuation.yield(scope);
    System.out.println("    raw continuation: after yield");
})
raw.run()
say("the raw continuation has stopped; isDone()", raw.isDone())
raw.run()
say("run() again; isDone()", raw.isDone())

// 3. It cannot stop everywhere: not in a class initialiser, not under a native frame.
class Pinned { static { Coroutine.suspend(); } }
Coroutine pinned = new Coroutine(() -> {
    try { new Pinned(); } catch (Throwable t) { log.add("pinned: " + (t.getCause() == null ? t : t.getCause()).getMessage()); }
})
pinned.resume()
say("suspend() in a class initialiser", log.get(log.size() - 1))

// 4. A dispatcher of them: two fibers take turns, one sleeps, one times out reading a silent peer.
SelectDispatcher dispatcher = new SelectDispatcher().output(Fiber.Output.DEBUG)
for (String name : List.of("ping", "pong")) {
    dispatcher.start(name, () -> {
        for (int i = 1; i <= 2; i++) { dispatcher.out().println(name + " " + i); dispatcher.yield(); }
    });
}
ServerSocketChannel silent = ServerSocketChannel.open().bind(new java.net.InetSocketAddress("127.0.0.1", 0))
dispatcher.start("impatient", () -> {
    try (SocketChannel channel = SocketChannel.open()) {
        dispatcher.connect(channel, silent.getLocalAddress());
        dispatcher.timeout(Duration.ofMillis(200));
        dispatcher.read(channel, ByteBuffer.allocate(8));
    } catch (java.net.SocketTimeoutException e) {
        dispatcher.out().println("timed out, as asked: " + e.getMessage());
    }
})
dispatcher.run()
say("every fiber has ended; run() returned", "fibers left: " + dispatcher.fibers())

System.out.println()
System.out.println("Now try it yourself: make a new SelectDispatcher, start() fibers that sleep(), yield() or read(), then run().")
