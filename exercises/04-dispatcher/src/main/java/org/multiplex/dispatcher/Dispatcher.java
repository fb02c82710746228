package org.multiplex.dispatcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A thin wrapper around a non-blocking socket that turns what a selector reports into events:
 * asyncore's {@code dispatcher}, in Java.
 *
 * <p>A subclass says what it wants to wait for with {@link #readable()} and {@link #writable()},
 * which the {@link DispatcherLoop} asks on every pass, and reacts to what happened by overriding
 * the {@code handle} methods. Otherwise it treats the dispatcher as a non-blocking socket: it
 * {@link #createSocket() creates} one, {@link #bind binds}, {@link #listen listens},
 * {@link #accept accepts}, {@link #connect connects}, {@link #send sends}, {@link #recv receives}
 * and {@link #close closes}.
 *
 * <h2>Events, and the events they imply</h2>
 *
 * A selector reports only that a socket can be read or written. What that means depends on the
 * state of the socket, and the dispatcher works it out:
 *
 * <table>
 *   <caption>asyncore's implied events</caption>
 *   <tr><th>event</th><th>implied by</th></tr>
 *   <tr><td>{@link #handleConnect()}</td><td>the first write event of a connecting socket, once
 *       {@link SocketChannel#finishConnect()} confirms it (a refused connection raises instead,
 *       and so reaches {@link #handleError}, never {@code handleConnect})</td></tr>
 *   <tr><td>{@link #handleClose()}</td><td>a read that finds the end of the stream (or a reset)</td></tr>
 *   <tr><td>{@link #handleAccept()}</td><td>a read event on a listening socket</td></tr>
 * </table>
 *
 * <p>asyncore also has {@code handle_expt}, for out-of-band data, which {@code select()} reports
 * in its third list. NIO has no counterpart: a selector reports reading, writing, connecting and
 * accepting only, and a {@link SocketChannel} cannot read urgent data (with
 * {@code SO_OOBINLINE} set, it arrives as ordinary bytes). So this class has no
 * {@code handleExpt}.
 *
 * <h2>What the loop promises</h2>
 *
 * <ul>
 *   <li>Every method runs on the loop's thread: a dispatcher needs no locks.</li>
 *   <li>An exception thrown by a handler, or by {@code readable()} or {@code writable()}, goes to
 *       this dispatcher's {@link #handleError}; the loop carries on with the others.</li>
 *   <li>{@link #handleClose()} comes at most once, and no event at all comes after
 *       {@link #close()}, even when the socket was readable and writable in the same pass.</li>
 * </ul>
 */
public class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final byte[] NOTHING = new byte[0];

    private final DispatcherLoop loop;
    /** A SocketChannel or a ServerSocketChannel; null until listen() or connect(). */
    private SelectableChannel channel;
    private SelectionKey key;
    private boolean socketCreated;
    private InetSocketAddress bindAddress;
    private boolean accepting;
    private boolean connecting;
    private boolean connected;
    private boolean closed;
    private boolean closeDelivered;

    /**
     * Makes a dispatcher with no socket yet: call {@link #createSocket()} next, or use it as a fake
     * driven by calls.
     *
     * @param loop the loop whose map the socket joins
     */
    protected Dispatcher(DispatcherLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * Wraps a socket that is connected already, as one returned by {@link #accept()}.
     *
     * @param  loop      the loop whose map the socket joins
     * @param  connected the socket; it is made non-blocking
     * @throws IOException if the socket cannot be made non-blocking
     */
    protected Dispatcher(DispatcherLoop loop, SocketChannel connected) throws IOException {
        this(loop);
        connected.configureBlocking(false);
        setSocket(connected);
        this.connected = true;
    }

    // ---------------------------------------------------------------------------------------
    // The socket
    // ---------------------------------------------------------------------------------------

    /**
     * Prepares a new TCP socket for this dispatcher: asyncore's
     * {@code create_socket(AF_INET, SOCK_STREAM)}.
     *
     * <p>Python has one kind of socket, which later listens or connects. Java has two classes,
     * {@link ServerSocketChannel} and {@link SocketChannel}, and a server channel binds and
     * listens in one call. So the channel itself is opened by the call that decides which it is:
     * {@link #listen} or {@link #connect}.
     *
     * @throws IllegalStateException if this dispatcher has a socket already
     */
    public final void createSocket() {
        if (socketCreated || channel != null) {
            throw new IllegalStateException("this dispatcher has a socket already");
        }
        socketCreated = true;
    }

    /**
     * Names the local address of the socket, used when it listens or connects.
     *
     * @param address the local address; port 0 lets the system choose
     * @throws IllegalStateException if there is no socket, or it listens or connects already
     */
    public final void bind(InetSocketAddress address) {
        requireNewSocket("bind");
        bindAddress = address;
    }

    /**
     * Listens for connections: from now on a read event means a connection waits to be accepted,
     * and becomes {@link #handleAccept()}.
     *
     * @param  backlog how many connections the system may queue before they are accepted
     * @throws IOException if the address cannot be bound
     */
    public final void listen(int backlog) throws IOException {
        requireNewSocket("listen");
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(bindAddress, backlog);
            server.configureBlocking(false);
            setSocket(server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        accepting = true;
    }

    /**
     * Accepts a waiting connection.
     *
     * @return the new connection, non-blocking, or null if none was waiting after all (another
     *         event took it, or the client gave up)
     * @throws IOException           if accepting fails
     * @throws IllegalStateException if this dispatcher's socket does not listen
     */
    public final SocketChannel accept() throws IOException {
        if (!accepting) {
            throw new IllegalStateException("accept() on a dispatcher that does not listen: call listen() first");
        }
        SocketChannel client = ((ServerSocketChannel) channel).accept();
        if (client != null) {
            client.configureBlocking(false);
        }
        return client;
    }

    /**
     * Starts connecting to a remote address, and returns at once. The connection is made when
     * {@link #handleConnect()} is called, or has failed when {@link #handleError} is.
     *
     * @param  address where to connect
     * @throws IOException if the connection fails at once (the system may also report a refusal
     *                     later, through {@code handleError})
     */
    public final void connect(InetSocketAddress address) throws IOException {
        requireNewSocket("connect");
        SocketChannel socket = SocketChannel.open();
        try {
            socket.configureBlocking(false);
            if (bindAddress != null) {
                socket.bind(bindAddress);
            }
            setSocket(socket);
            connecting = true;
            // Even a connection made at once (true) is reported by the first write event, so that
            // handleConnect never runs inside connect(), where a subclass may not be built yet.
            socket.connect(address);
        } catch (IOException | RuntimeException e) {
            close();
            socket.close();
            throw e;
        }
    }

    /**
     * Sends bytes from the buffer: as many as the socket takes now, perhaps none.
     *
     * <p>If the connection has failed (the peer reset it or is gone), this delivers
     * {@link #handleClose()}, as asyncore does for its list of disconnection errors: in Java a
     * write on a connected channel fails only when the connection did.
     *
     * @param  data the bytes to send, from its position; the position moves past what was sent
     * @return how many bytes were sent
     */
    public int send(ByteBuffer data) {
        try {
            return socket().write(data);
        } catch (IOException disconnected) {
            deliverClose();
            return 0;
        }
    }

    /**
     * Sends bytes: as many as the socket takes now, perhaps none.
     *
     * @param  data the bytes to send
     * @return how many bytes were sent
     */
    public final int send(byte[] data) {
        return send(ByteBuffer.wrap(data));
    }

    /**
     * Reads what has arrived into a buffer.
     *
     * @param  into where to put the bytes, from its position
     * @return how many bytes were read, 0 if none had arrived, or -1 at the end of the stream; then
     *         {@link #handleClose()} has been called already
     */
    public final int recv(ByteBuffer into) {
        // TODO(4.2): read into the buffer; at the end of the stream, or when the read fails (a reset), deliver the close event with deliverClose() and return -1
        throw new org.multiplex.kit.Todo("4.2", "read into the buffer; at the end of the stream, or when the read fails (a reset), deliver the close event with deliverClose() and return -1");
    }

    /**
     * Reads at most {@code bufferSize} bytes of what has arrived, as asyncore's {@code recv}.
     *
     * @param  bufferSize the most bytes to read
     * @return the bytes read; empty if none had arrived, or at the end of the stream (then
     *         {@link #handleClose()} has been called already)
     */
    public final byte[] recv(int bufferSize) {
        ByteBuffer into = ByteBuffer.allocate(bufferSize);
        int n = recv(into);
        return n <= 0 ? NOTHING : Arrays.copyOf(into.array(), n);
    }

    /**
     * Closes the socket and takes the dispatcher out of its loop's map. Closing twice does
     * nothing the second time; after the first, no event reaches this dispatcher.
     */
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        accepting = false;
        connecting = false;
        connected = false;
        if (channel != null) {
            loop.remove(channel);
            try {
                channel.close();
            } catch (IOException e) {
                // Closed all the same.
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // What the loop asks, and the events it fires
    // ---------------------------------------------------------------------------------------

    /**
     * Says whether this dispatcher wants read events now. Asked on every pass of the loop; the
     * default is true, as in asyncore. On a listening socket, reading means accepting.
     *
     * @return true to be told when the socket can be read, or a connection accepted
     */
    protected boolean readable() {
        return true;
    }

    /**
     * Says whether this dispatcher wants write events now. Asked on every pass of the loop; the
     * default is true, as in asyncore. While the socket connects, a write event means that the
     * connection is made.
     *
     * @return true to be told when the socket can be written
     */
    protected boolean writable() {
        return true;
    }

    /** Called when bytes have arrived: {@link #recv} will return them. */
    protected void handleRead() throws IOException {
        LOG.log(System.Logger.Level.WARNING, "unhandled read event on {0}", this);
    }

    /** Called when the socket can take bytes: {@link #send} will send some. */
    protected void handleWrite() throws IOException {
        LOG.log(System.Logger.Level.WARNING, "unhandled write event on {0}", this);
    }

    /** Called once, when a connection started by {@link #connect} is made. */
    protected void handleConnect() throws IOException {
        LOG.log(System.Logger.Level.WARNING, "unhandled connect event on {0}", this);
    }

    /**
     * Called on a listening socket when connections wait. The default accepts up to
     * {@link #ACCEPTS_PER_EVENT} of them and hands each to {@link #handleAccepted}.
     *
     * <p>asyncore accepts one per event. A pass of the loop is as long as the crowd it serves, so
     * under a thousand connecting clients one accept a pass leaves most of them waiting in the
     * backlog for seconds (lesson 7 measured it); Netty likewise reads up to 16 messages an event.
     */
    protected void handleAccept() throws IOException {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel client = accept();
            if (client == null) {
                return;
            }
            handleAccepted(client);
        }
    }

    /** How many waiting connections one accept event takes at most. */
    protected static final int ACCEPTS_PER_EVENT = 64;

    /**
     * Called with a connection that {@link #handleAccept()} accepted (Python 3's
     * {@code handle_accepted}). The default closes it.
     *
     * @param client the new connection, non-blocking
     */
    protected void handleAccepted(SocketChannel client) throws IOException {
        LOG.log(System.Logger.Level.WARNING, "unhandled accepted event on {0}", this);
        client.close();
    }

    /**
     * Called at most once, when the peer has closed the connection or the connection failed. The
     * default closes this dispatcher.
     */
    protected void handleClose() {
        LOG.log(System.Logger.Level.WARNING, "unhandled close event on {0}", this);
        close();
    }

    /**
     * Called when one of this dispatcher's handlers threw. The default reports the exception,
     * delivers {@link #handleClose()} (unless it came already) and closes the dispatcher.
     *
     * @param e what was thrown
     */
    protected void handleError(Exception e) {
        LOG.log(System.Logger.Level.WARNING, "uncaptured exception, closing " + this, e);
        deliverClose();
        close();
    }

    /**
     * Delivers the close event: calls {@link #handleClose()} unless it was called already or the
     * dispatcher is closed.
     */
    final void deliverClose() {
        if (closed || closeDelivered) {
            return;
        }
        closeDelivered = true;
        handleClose();
    }

    /**
     * Returns the operations this dispatcher waits for in this pass, from what
     * {@link #readable()} and {@link #writable()} answer and the state of its socket.
     */
    final int interestOps() {
        // TODO(4.1): ask readable() and writable(); a listening socket reads by accepting and never writes; a connecting one waits to connect; a connected one reads and writes
        throw new org.multiplex.kit.Todo("4.1", "ask readable() and writable(); a listening socket reads by accepting and never writes; a connecting one waits to connect; a connected one reads and writes");
    }

    /** Fires what a read event means: an accept on a listening socket, else a read. */
    final void handleReadEvent() throws IOException {
        // TODO(4.2): on a listening socket a read event means a connection waits (handleAccept); otherwise it is a read
        throw new org.multiplex.kit.Todo("4.2", "on a listening socket a read event means a connection waits (handleAccept); otherwise it is a read");
    }

    /**
     * Fires what a write event means: nothing on a listening socket; on a connecting socket the
     * connect (checked by finishConnect, which throws if it was refused), then a write if the
     * dispatcher still wants one; else a write.
     */
    final void handleWriteEvent() throws IOException {
        // TODO(4.2): ignore it on a listening socket; while connecting, finish the connect (a refusal throws) and call handleConnect once, then write only if still open and writable()
        throw new org.multiplex.kit.Todo("4.2", "ignore it on a listening socket; while connecting, finish the connect (a refusal throws) and call handleConnect once, then write only if still open and writable()");
    }

    // ---------------------------------------------------------------------------------------
    // State
    // ---------------------------------------------------------------------------------------

    /** Returns the loop this dispatcher belongs to. */
    public final DispatcherLoop loop() {
        return loop;
    }

    /** Returns whether the socket listens for connections. */
    public final boolean isAccepting() {
        return accepting;
    }

    /** Returns whether a connection started by {@link #connect} is still being made. */
    public final boolean isConnecting() {
        return connecting;
    }

    /** Returns whether the socket is connected: accepted, or connected and confirmed. */
    public final boolean isConnected() {
        return connected;
    }

    /** Returns whether {@link #close()} was called. */
    public final boolean isClosed() {
        return closed;
    }

    /**
     * Returns the address the socket is bound to.
     *
     * @throws IOException if the socket is closed
     */
    public final InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) ((NetworkChannel) channel()).getLocalAddress();
    }

    /**
     * Returns the address of the peer: asyncore's {@code getpeername()}.
     *
     * @throws IOException if the socket is closed
     */
    public final InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) socket().getRemoteAddress();
    }

    /** Returns the channel, for options; the dispatcher owns it. */
    protected final SelectableChannel channel() {
        if (channel == null) {
            throw new IllegalStateException("no socket yet: call createSocket(), then listen() or connect()");
        }
        return channel;
    }

    /** Returns the connection's channel, for options; the dispatcher owns it. */
    protected final SocketChannel socket() {
        if (!(channel() instanceof SocketChannel socket)) {
            throw new IllegalStateException("a listening socket neither sends nor receives");
        }
        return socket;
    }

    final SelectionKey key() {
        return key;
    }

    private void setSocket(SelectableChannel socket) throws IOException {
        assert channel == null;
        channel = socket;
        key = loop.add(this, socket);
    }

    private void requireNewSocket(String what) {
        if (!socketCreated) {
            throw new IllegalStateException(what + "() needs a socket: call createSocket() first");
        }
        if (channel != null) {
            throw new IllegalStateException(what + "() on a socket that listens or connects already");
        }
    }

    @Override
    public String toString() {
        String state = closed ? "closed" : accepting ? "listening" : connecting ? "connecting"
                : connected ? "connected" : "new";
        String where = "";
        if (!closed && channel instanceof NetworkChannel net) {
            try {
                where = " " + net.getLocalAddress()
                        + (channel instanceof SocketChannel s && s.isConnected() ? " -> " + s.getRemoteAddress() : "");
            } catch (IOException e) {
                where = "";
            }
        }
        return getClass().getSimpleName() + "[" + state + where + "]";
    }
}
