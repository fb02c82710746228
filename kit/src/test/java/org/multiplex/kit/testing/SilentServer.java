package org.multiplex.kit.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.multiplex.kit.net.Server;

/**
 * A broken server for testing clients' time limits: it accepts, reads and throws away every byte,
 * and never answers or closes a connection, even one the client half-closed, until it is closed
 * itself.
 */
public final class SilentServer implements Server {

    private final InetSocketAddress address;
    private final Map<Socket, Thread> clients = new ConcurrentHashMap<>();
    private ServerSocket listener;
    private Thread acceptor;

    /**
     * Makes a server that will listen on an address.
     *
     * @param address where to listen; port 0 lets the system choose
     */
    public SilentServer(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        listener = new ServerSocket();
        listener.bind(address);
        acceptor = Thread.ofPlatform().name("silent-acceptor").start(this::acceptUntilClosed);
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread thread = Thread.ofPlatform().name("silent-client").unstarted(() -> discard(client));
                clients.put(client, thread);
                thread.start();
            } catch (IOException e) {
                // close() closed the listener: the loop ends.
            }
        }
    }

    private void discard(Socket client) {
        try {
            client.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The client reset the connection or close() closed it: nothing to do either way.
        }
        // Even at the end of the client's stream the connection stays open: close() closes it.
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
