package org.multiplex.select;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SelectServer} made for testing the loop alone: it echoes what it reads, counts how
 * often the loop hands it a client, and obeys two commands. A {@code '~'} holds the loop inside
 * {@link #readable} until every other client has bytes waiting, so that they are all ready in
 * the next pass; a {@code '!'} drops every other client, cancelling their keys.
 */
final class ProbeServer extends SelectServer {

    private final ByteBuffer incoming = ByteBuffer.allocate(1024);
    /** Calls of {@link #readable}. */
    final AtomicInteger readableCalls = new AtomicInteger();
    /** Calls of {@link #readable} whose read found nothing: neither a byte nor the end of stream. */
    final AtomicInteger emptyReads = new AtomicInteger();
    /** Counted down when a {@code '~'} holds the loop. */
    final CountDownLatch holding = new CountDownLatch(1);
    /** The loop's thread, once it has accepted a client. */
    volatile Thread loop;
    /** The loop thread's entry under /proc/self/task, on Linux, once it has accepted a client. */
    volatile Path task;

    ProbeServer() {
        super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "select-probe-server");
    }

    @Override
    protected void accepted(SelectionKey key) {
        if (loop == null) {
            loop = Thread.currentThread();
            try {
                task = Path.of("/proc/self/task").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self"))
                        .getFileName());
            } catch (IOException | UnsupportedOperationException e) {
                task = null; // Not Linux: the tests measure CPU time only.
            }
        }
    }

    @Override
    protected void readable(SelectionKey key) {
        readableCalls.incrementAndGet();
        SocketChannel client = (SocketChannel) key.channel();
        try {
            incoming.clear();
            int n = client.read(incoming);
            if (n < 0) {
                drop(key);
                return;
            }
            if (n == 0) {
                emptyReads.incrementAndGet();
                return;
            }
            incoming.flip();
            for (int i = incoming.position(); i < incoming.limit(); i++) {
                if (incoming.get(i) == '~') {
                    holdUntilTheOthersAreReady(key);
                } else if (incoming.get(i) == '!') {
                    dropTheOthers(key);
                }
            }
            client.write(incoming);
        } catch (IOException e) {
            drop(key);
        }
    }

    /** Waits, at most two seconds, until every other client has bytes waiting. */
    private void holdUntilTheOthersAreReady(SelectionKey self) throws IOException {
        try (Selector peek = Selector.open()) {
            int others = 0;
            for (SelectionKey key : selector.keys()) {
                if (key != self && key.isValid() && key.channel() instanceof SocketChannel channel) {
                    channel.register(peek, SelectionKey.OP_READ);
                    others++;
                }
            }
            holding.countDown();
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (peek.selectedKeys().size() < others && System.nanoTime() < deadline) {
                peek.select(100);
            }
        }
    }

    private void dropTheOthers(SelectionKey self) {
        for (SelectionKey key : selector.keys()) {
            if (key != self && key.channel() instanceof SocketChannel) {
                drop(key);
            }
        }
    }
}
