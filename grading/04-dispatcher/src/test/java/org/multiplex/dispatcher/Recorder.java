package org.multiplex.dispatcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A dispatcher that writes down every event it gets, in order, and wants what the test tells it
 * to want. Its lists may be read from the test's thread while a loop thread runs it.
 */
class Recorder extends Dispatcher {

    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
    final List<SocketChannel> accepted = Collections.synchronizedList(new ArrayList<>());
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    volatile boolean wantsRead = true;
    volatile boolean wantsWrite;
    /** Sent at write events while it has bytes left; an empty buffer sends nothing. */
    volatile ByteBuffer toSend = ByteBuffer.allocate(0);

    Recorder(DispatcherLoop loop) {
        super(loop);
    }

    Recorder(DispatcherLoop loop, SocketChannel connected) throws IOException {
        super(loop, connected);
    }

    @Override
    protected boolean readable() {
        return wantsRead;
    }

    @Override
    protected boolean writable() {
        return wantsWrite;
    }

    @Override
    protected void handleRead() {
        events.add("read");
        ByteBuffer into = ByteBuffer.allocate(4096);
        int n = recv(into);
        if (n > 0) {
            synchronized (received) {
                received.write(into.array(), 0, n);
            }
        }
    }

    @Override
    protected void handleWrite() {
        events.add("write");
        if (toSend.hasRemaining()) {
            send(toSend);
        }
    }

    @Override
    protected void handleConnect() {
        events.add("connect");
    }

    @Override
    protected void handleAccept() throws IOException {
        events.add("accept");
        SocketChannel client = accept();
        if (client != null) {
            accepted.add(client);
        }
    }

    @Override
    protected void handleClose() {
        events.add("close");
        close();
    }

    @Override
    protected void handleError(Exception e) {
        events.add("error");
        errors.add(e);
        close();
    }

    String receivedText() {
        synchronized (received) {
            return received.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    long count(String event) {
        synchronized (events) {
            return events.stream().filter(event::equals).count();
        }
    }

    List<String> eventsSoFar() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
