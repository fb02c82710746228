package org.multiplex.select;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.multiplex.kit.zen.Zen;

/**
 * One connection's unfinished request: the bytes that arrived but do not yet end with {@code '?'}.
 *
 * <p>A blocking server could wait inside {@code read} until a request was whole. A select loop
 * cannot wait for anyone, so it must keep each client's partial request between two wake-ups,
 * and that is this buffer, attached to the client's selection key.
 */
final class RequestBuffer {

    private final byte[] pending = new byte[Zen.MAX_REQUEST_BYTES];
    private int length;

    /**
     * Takes the bytes just read and hands every request they complete to {@code onRequest}.
     *
     * @param  bytes     what one read returned, ready to be drained
     * @param  onRequest called once per complete request, in order, with the request's bytes
     * @throws ProtocolException if a request grows past {@link Zen#MAX_REQUEST_BYTES}
     */
    void take(ByteBuffer bytes, Consumer<byte[]> onRequest) throws ProtocolException {
        // BEGIN SOLUTION 2.1: append the bytes to pending and hand out every request ending with '?'
        // tag::take[]
        while (bytes.hasRemaining()) {
            if (length == pending.length) {
                throw new ProtocolException("request longer than " + Zen.MAX_REQUEST_BYTES + " bytes");
            }
            byte b = bytes.get();
            pending[length++] = b;
            if (b == Zen.REQUEST_END) {
                onRequest.accept(java.util.Arrays.copyOf(pending, length));
                length = 0;
            }
        }
        // end::take[]
        // END SOLUTION
    }

    /** Returns whether part of a request is waiting for the rest, other than white space. */
    boolean inTheMiddleOfARequest() {
        for (int i = 0; i < length; i++) {
            if (!Character.isWhitespace(pending[i])) {
                return true;
            }
        }
        return false;
    }
}
