package org.multiplex.ftp;

import java.net.SocketTimeoutException;

import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Turns what a Commons Net client throws when the server falls silent or hangs up into a message
 * that says what the client was waiting for, in place of a bare {@code Read timed out}.
 */
final class Explained implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                throw new AssertionError("waited " + Fixture.PATIENCE.toSeconds() + " s for a reply or data that a"
                        + " correct server sends at once, and none came; " + Fixture.lastExchange(), thrown);
            }
            if (t instanceof FTPConnectionClosedException) {
                throw new AssertionError("the server closed the control connection; " + Fixture.lastExchange() + ". "
                        + Fixture.Control.CLOSED, thrown);
            }
        }
        throw thrown;
    }
}
