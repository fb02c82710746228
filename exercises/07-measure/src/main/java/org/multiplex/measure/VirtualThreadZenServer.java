package org.multiplex.measure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.multiplex.kit.net.Server;
import org.multiplex.kit.net.ServerMain;
import org.multiplex.kit.zen.Zen;

/**
 * A Zen server with a JDK virtual thread per connection: lesson 1's threaded server, written as
 * plainly, with the JDK doing what lesson 5 does by hand.
 *
 * <p>Each conversation is blocking code. When a virtual thread reads from a socket that has
 * nothing to read, the JDK parks it and registers the socket with a poller; its carrier thread,
 * one of a few platform threads, runs another virtual thread meanwhile. So ten thousand
 * connections cost ten thousand small heap objects, not ten thousand stacks of a megabyte.
 *
 * <p>Like lesson 3's server, it answers pipelined requests in order, all the answers of one read
 * in one write, and never holds more than {@link #IN_BYTES} of unanswered requests.
 */
public final class VirtualThreadZenServer implements Server {

    /** Room for unanswered requests: one whole request and a read's worth more. */
    static final int IN_BYTES = 2 * Zen.MAX_REQUEST_BYTES;

    private final InetSocketAddress address;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private ServerSocket listener;
    private Thread acceptor;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public VirtualThreadZenServer(InetSocketAddress address) {
        this.address = address;
    }

    /** Runs the server: {@code --port} (default 1060, the book's) and {@code --host}. */
    public static void main(String[] args) {
        ServerMain.run("VirtualThreadZenServer", 1060, args, VirtualThreadZenServer::new);
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        listener = new ServerSocket();
        listener.bind(address, 4096);
        acceptor = Thread.ofPlatform().name("virtual-zen-acceptor").start(this::acceptForever);
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    // tag::thread-per-client[]
    private void acceptForever() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                clients.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                // accept() fails once close() has closed the listener: that is how the loop ends.
            }
        }
    }
    // end::thread-per-client[]

    /** Answers a client's requests until it closes its side; blocking code on a virtual thread. */
    private void serve(Socket client) {
        byte[] in = new byte[IN_BYTES];
        byte[] out = new byte[IN_BYTES];
        int held = 0;
        try (client; InputStream input = client.getInputStream(); OutputStream output = client.getOutputStream()) {
            int n;
            while ((n = input.read(in, held, in.length - held)) > 0) {
                held += n;
                int start = 0;
                int answered = 0;
                for (int i = 0; i < held; i++) {
                    if (in[i] == Zen.REQUEST_END) {
                        byte[] answer = Zen.answer(in, start, i + 1 - start);
                        if (answered + answer.length > out.length) {
                            output.write(out, 0, answered);
                            answered = 0;
                        }
                        System.arraycopy(answer, 0, out, answered, answer.length);
                        answered += answer.length;
                        start = i + 1;
                    }
                }
                output.write(out, 0, answered);
                held -= start;
                System.arraycopy(in, start, in, 0, held);
                if (held > Zen.MAX_REQUEST_BYTES) {
                    return; // a request longer than the protocol allows: drop the client
                }
            }
        } catch (IOException e) {
            // A reset: only this client is gone.
        } finally {
            clients.remove(client);
        }
    }

    @Override
    public synchronized void close() {
        if (listener == null || listener.isClosed()) {
            return;
        }
        try {
            listener.close();
            acceptor.join();
            for (Socket client : clients) {
                client.close();
            }
        } catch (IOException e) {
            // Closed all the same.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
