package io.sockwave;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Decides about a WebSocket upgrade before the server answers it: refuses it with any response (401 with
 * {@code WWW-Authenticate}, 403, 429 with {@code Retry-After}, a redirect), or accepts it, adding response headers
 * ({@code Set-Cookie}), choosing the subprotocol and setting the session's first attributes. See
 * {@link UpgradeDecision}.
 *
 * <p>A hook sees only requests that are valid upgrades (RFC 6455 §4.2.1), that a route matches and whose origin is
 * allowed; others are refused before it runs. A server-wide hook ({@link Server.Builder#upgradeHook}) runs first; if
 * it accepts, the route's hook ({@link Server.Builder#route(String, UpgradeHook, Listener)}) runs next, and the
 * two acceptances are combined: headers and attributes of both, the route's subprotocol if it chooses one.
 *
 * <p>The hook runs where listener callbacks run: on the event loop by default, so it must not block there; to check a
 * token against a service, return a stage that completes later, and the loop serves other connections meanwhile. (After
 * a server-wide hook that decided later, the route's hook runs on the thread that completed its stage, and not at all
 * if the upgrade ended meanwhile.) Nothing the client sends after its request is delivered until the decision: a
 * refused client's pipelined frames never reach a listener. They are held meanwhile, counted in {@link
 * ServerStats#buffers()}; past 64 KiB the upgrade is refused with 400, since the client is not waiting for the answer
 * (RFC 6455 §4.1). A client that ends its stream or resets the connection while the hook decides is let go at once, its
 * decision dropped when it comes. The decision must come within the handshake timeout, or the client is answered with
 * 503 and the connection closed, as when the callback executor refuses to run the hook (it was shut down). A stage that
 * decides late, or never (one shared by every request while a service is down), keeps nothing of an upgrade that ended
 * meanwhile but a small future, until it completes. A hook that throws or whose stage fails is logged and answered with
 * 500.
 */
@FunctionalInterface
public interface UpgradeHook {
    /**
     * @param request the upgrade request
     * @return the decision, now or later; a null stage or decision counts as a failure (500)
     */
    CompletionStage<UpgradeDecision> check(UpgradeRequest request);

    /**
     * @param check decides at once, without waiting for anything
     * @return a hook that runs {@code check} and completes with its decision
     * @throws NullPointerException if {@code check} is null
     */
    static UpgradeHook of(Function<UpgradeRequest, UpgradeDecision> check) {
        Objects.requireNonNull(check, "check");
        return request -> CompletableFuture.completedFuture(check.apply(request));
    }
}
