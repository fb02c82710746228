package org.multiplex.ftp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.multiplex.continuations.SelectDispatcher;

/**
 * How the next transfer of a session gets its data connection: the server listens and the client
 * connects (passive: {@code PASV}, {@code EPSV}), or the server connects to the client (active:
 * {@code PORT}, {@code EPRT}).
 *
 * <p>The data connection belongs to the client of the control connection, and to no one else: a
 * passive listener takes a connection only from the client's address, and the server connects
 * only to the client's own address. Without the second rule, {@code PORT} would let anyone make
 * the server open connections to a third host, the "FTP bounce" attack of RFC 2577.
 */
final class DataChannel implements AutoCloseable {

    private final SelectDispatcher dispatcher;
    /** The client's address, as the control connection sees it. */
    private final InetAddress client;
    /** The server's own address on the control connection: where a passive listener binds. */
    private final InetAddress local;
    private ServerSocketChannel listener;
    private InetSocketAddress target;

    DataChannel(SelectDispatcher dispatcher, SocketChannel control) throws IOException {
        this.dispatcher = dispatcher;
        this.client = ((InetSocketAddress) control.getRemoteAddress()).getAddress();
        this.local = ((InetSocketAddress) control.getLocalAddress()).getAddress();
    }

    /** Returns whether a PASV, EPSV, PORT or EPRT has said how to open the next data connection. */
    boolean ready() {
        return listener != null || target != null;
    }

    /**
     * Listens for the client's data connection, on a port the system chooses.
     *
     * @return the address listened on, to be told to the client
     */
    // tag::passive[]
    InetSocketAddress passive() throws IOException {
        // BEGIN SOLUTION 6.3: forget any earlier listener or target; open a listener bound to the control connection's local address and port 0, with a backlog of 1; return its address
        close();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(local, 0), 1);
        return (InetSocketAddress) listener.getLocalAddress();
        // END SOLUTION
    }
    // end::passive[]

    /**
     * Sets the address to connect to for the next transfer.
     *
     * @throws ProtocolException if the address is not the client's own
     */
    void active(InetSocketAddress address) throws IOException {
        // BEGIN SOLUTION 6.3: refuse (ProtocolException) an address other than the client's own or a privileged port; otherwise forget any listener and keep the address for open()
        if (!address.getAddress().equals(client)) {
            throw new ProtocolException("the data connection must go to the client's own address, " + client.getHostAddress());
        }
        if (address.getPort() < 1024) {
            throw new ProtocolException("no data connections to privileged ports");
        }
        close();
        target = address;
        // END SOLUTION
    }

    /**
     * Opens the data connection, parking the fiber until the client connects (passive) or the
     * connection is made (active). A passive listener is used once, and closed.
     *
     * @return the data connection
     */
    // tag::open[]
    SocketChannel open() throws IOException {
        // BEGIN SOLUTION 6.3: passive: accept until a connection comes from the client's address (close any other), then close the listener; active: open a channel and connect to the target
        if (listener != null) {
            // The listener stays in its field while the fiber waits: close() (for ABOR) wakes it.
            try {
                while (true) {
                    SocketChannel data = dispatcher.accept(listener);
                    InetAddress from = ((InetSocketAddress) data.getRemoteAddress()).getAddress();
                    if (from.equals(client)) {
                        return data;
                    }
                    dispatcher.close(data);
                }
            } finally {
                close();
            }
        }
        if (target == null) {
            // The transfer started with one or the other; an ABOR closed it before the fiber ran.
            throw new java.nio.channels.ClosedChannelException();
        }
        SocketChannel data = SocketChannel.open();
        InetSocketAddress to = target;
        target = null;
        try {
            dispatcher.connect(data, to);
        } catch (IOException e) {
            dispatcher.close(data);
            throw e;
        }
        return data;
        // END SOLUTION
    }
    // end::open[]

    /** Returns whether the server's address on the control connection is IPv4, as PASV requires. */
    boolean ipv4() {
        return local instanceof Inet4Address;
    }

    /** Returns the client's address. */
    InetAddress client() {
        return client;
    }

    /** Closes any listener, and forgets any target. */
    @Override
    public void close() throws IOException {
        target = null;
        if (listener != null) {
            ServerSocketChannel open = listener;
            listener = null;
            dispatcher.close(open);
        }
    }
}
