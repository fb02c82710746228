package org.multiplex.kit.testing;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.multiplex.kit.net.ConnectionStats;
import org.multiplex.kit.net.Server;
import org.multiplex.kit.zen.Zen;

/**
 * The plainest correct Zen server, a thread per connection, for testing the kit's clients against
 * something known to be right. Not a lesson's server: the lessons' live in their own modules,
 * which the kit cannot see.
 */
public final class ThreadPerClientZenServer implements Server {

    private final InetSocketAddress address;
    private final ConnectionStats stats = new ConnectionStats();
    private final Map<Socket, Thread> clients = new ConcurrentHashMap<>();
    private final List<Integer> readSizes = new CopyOnWriteArrayList<>();
    private ServerSocket listener;
    private Thread acceptor;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public ThreadPerClientZenServer(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        listener = new ServerSocket();
        // A deep queue, so that a crowd connecting faster than this thread accepts never waits.
        listener.bind(address, 4096);
        acceptor = Thread.ofPlatform().name("test-zen-acceptor").start(this::acceptUntilClosed);
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Returns what the server has seen of its clients. */
    public ConnectionStats stats() {
        return stats;
    }

    /**
     * Returns how many bytes each read from a client returned, in order, all clients together: what
     * a test needs to see how requests arrived.
     */
    public List<Integer> readSizes() {
        return List.copyOf(readSizes);
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                stats.accepted();
                Thread thread = Thread.ofPlatform().name("test-zen-client").unstarted(() -> serve(client));
                clients.put(client, thread);
                thread.start();
            } catch (IOException e) {
                // close() closed the listener: the loop ends.
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(recordingReads(client.getInputStream()));
            OutputStream out = client.getOutputStream();
            byte[] request = new byte[Zen.MAX_REQUEST_BYTES];
            int length = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                request[length++] = (byte) b;
                if (b == Zen.REQUEST_END) {
                    out.write(Zen.answer(request, 0, length));
                    stats.answered();
                    length = 0;
                } else if (length == request.length) {
                    stats.failed();
                    return;
                }
            }
            if (!isBlank(request, length)) {
                stats.leftMidRequest();
            }
        } catch (IOException e) {
            stats.failed();
        } finally {
            clients.remove(client);
            stats.closed();
        }
    }

    private InputStream recordingReads(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    readSizes.add(n);
                }
                return n;
            }
        };
    }

    private static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (!Character.isWhitespace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (listener == null || listener.isClosed()) {
            return;
        }
        try {
            listener.close();
            acceptor.join();
            List<Map.Entry<Socket, Thread>> open = List.copyOf(clients.entrySet());
            for (Map.Entry<Socket, Thread> c : open) {
                c.getKey().close();
            }
            for (Map.Entry<Socket, Thread> c : open) {
                c.getValue().join();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
