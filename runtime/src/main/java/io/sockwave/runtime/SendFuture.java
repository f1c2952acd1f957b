package io.sockwave.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The future a send returns. Only the runtime completes it: the completion methods a caller can reach do nothing,
 * because one future may stand for several sends made in the same event loop turn, and a caller completing it
 * would otherwise complete the others'. Dependent stages are ordinary futures, and the timeout methods time out
 * a copy rather than the send itself.
 */
final class SendFuture extends CompletableFuture<Void> {
    /** The bytes were handed to the socket. */
    void succeed() {
        super.complete(null);
    }

    /** @param error why the bytes were not, and will never be, handed to the socket */
    void fail(Throwable error) {
        super.completeExceptionally(error);
    }

    /** @return false: only the runtime completes a send */
    @Override
    public boolean complete(Void value) {
        return false;
    }

    /** @return false: only the runtime completes a send */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        return false;
    }

    /** @return false: a send cannot be cancelled once made */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    /** Refused: only the runtime completes a send. */
    @Override
    public void obtrudeValue(Void value) {
        throw new UnsupportedOperationException("only the runtime completes a send");
    }

    /** Refused: only the runtime completes a send. */
    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("only the runtime completes a send");
    }

    /** @return a copy that fails with a {@link java.util.concurrent.TimeoutException} after the timeout */
    @Override
    public CompletableFuture<Void> orTimeout(long timeout, TimeUnit unit) {
        return copy().orTimeout(timeout, unit);
    }

    /** @return a copy completed with {@code value} after the timeout */
    @Override
    public CompletableFuture<Void> completeOnTimeout(Void value, long timeout, TimeUnit unit) {
        return copy().completeOnTimeout(value, timeout, unit);
    }

    static SendFuture failed(Throwable error) {
        SendFuture f = new SendFuture();
        f.fail(error);
        return f;
    }
}
