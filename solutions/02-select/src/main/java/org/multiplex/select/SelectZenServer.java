package org.multiplex.select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.multiplex.kit.net.ServerMain;
import org.multiplex.kit.zen.Zen;

/**
 * A Zen server on a {@link SelectServer}: one thread, one selector, reading only.
 *
 * <p>Each read takes only what has already arrived, so the bytes of a request may come over many
 * wake-ups: a {@link RequestBuffer} attached to each client's key keeps them in between.
 *
 * <h2>What this server gets wrong</h2>
 *
 * It writes each answer straight back, without asking whether the client's socket can take it. An
 * answer is a few bytes and the kernel's send buffer holds many kilobytes, so this mostly works;
 * but a client that sends requests and never reads fills that buffer, and then a write takes only
 * part of an answer. This server closes such a client rather than send half an answer. Lesson 3
 * keeps the rest of the answer and waits until the socket can take it.
 */
public final class SelectZenServer extends SelectServer {

    /** One buffer for every read: the loop handles one client at a time. */
    private final ByteBuffer incoming = ByteBuffer.allocateDirect(16 * 1024);

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public SelectZenServer(InetSocketAddress address) {
        super(address, "select-zen-server");
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("SelectZenServer", 1060, args, SelectZenServer::new);
    }

    @Override
    protected void accepted(SelectionKey key) {
        key.attach(new RequestBuffer());
    }

    @Override
    protected void readable(SelectionKey key) {
        // BEGIN SOLUTION 2.3: read what has arrived; answer every complete request; on end of stream, a reset or an oversized request, drop the client
        // tag::read[]
        SocketChannel client = (SocketChannel) key.channel();
        RequestBuffer requests = (RequestBuffer) key.attachment();
        try {
            incoming.clear();
            if (client.read(incoming) < 0) {
                if (requests.inTheMiddleOfARequest()) {
                    stats.leftMidRequest();
                }
                drop(key);
                return;
            }
            incoming.flip();
            requests.take(incoming, request -> answer(client, request));
        } catch (IOException | UncheckedIOException e) {
            // A reset, an oversized request, or a client that does not read its answers.
            stats.failed();
            drop(key);
        }
        // end::read[]
        // END SOLUTION
    }

    private void answer(SocketChannel client, byte[] request) {
        ByteBuffer answer = ByteBuffer.wrap(Zen.answer(request));
        try {
            client.write(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answer.hasRemaining()) {
            // Lesson 3 keeps the rest and waits; this server can only give up on the client.
            throw new UncheckedIOException(new IOException("the client is not reading its answers"));
        }
        stats.answered();
    }
}
