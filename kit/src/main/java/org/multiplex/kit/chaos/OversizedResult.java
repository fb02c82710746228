package org.multiplex.kit.chaos;

/**
 * What became of an oversized request, as {@link Chaos#oversized} saw it.
 *
 * @param closed   true if the server closed the connection, with an end of stream or a reset,
 *                 within the time limit
 * @param received what the server sent before that, as text; usually nothing
 */
public record OversizedResult(boolean closed, String received) {
}
