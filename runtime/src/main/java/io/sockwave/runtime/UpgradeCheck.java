package io.sockwave.runtime;

import io.sockwave.AttributeKey;
import io.sockwave.UpgradeDecision;
import io.sockwave.UpgradeHook;
import io.sockwave.UpgradeRequest;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import javax.net.ssl.SSLSession;

/**
 * An upgrade request as the application's {@link UpgradeHook}s see it, and the running of those hooks: the server's
 * first, then the route's if the server's accepts, their acceptances combined.
 */
final class UpgradeCheck implements UpgradeRequest {
    private final HttpRequest request;
    private final Map<String, String> pathParams;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final SSLSession tls;

    UpgradeCheck(HttpRequest request, Map<String, String> pathParams, InetSocketAddress remote,
                 InetSocketAddress local, SSLSession tls) {
        this.request = request;
        this.pathParams = pathParams;
        this.remote = remote;
        this.local = local;
        this.tls = tls;
    }

    /**
     * @param serverHook the server-wide hook, or null
     * @param routeHook the route's hook, or null
     * @param ended done once the upgrade no longer waits for the decision (its client went away, it timed out):
     *     the route's hook is then not asked, its work (a token checked against a service) being for nothing
     * @return the combined decision; fails if a hook throws, fails, or gives null, or the upgrade ended before the
     *     route's hook was asked
     */
    CompletionStage<UpgradeDecision> run(UpgradeHook serverHook, UpgradeHook routeHook, Future<?> ended) {
        CompletionStage<UpgradeDecision> first = serverHook == null
                ? CompletableFuture.completedFuture(UpgradeDecision.accept())
                : call(serverHook);
        if (routeHook == null) {
            return first;
        }
        return first.thenCompose(decision -> {
            if (!decision.isAccepted()) {
                return CompletableFuture.completedFuture(decision);
            }
            if (ended.isDone()) {
                return CompletableFuture.failedFuture(
                        new CancellationException("the upgrade ended before the route's hook was asked"));
            }
            return call(routeHook).thenApply(later -> combine(decision, later));
        });
    }

    private CompletionStage<UpgradeDecision> call(UpgradeHook hook) {
        CompletionStage<UpgradeDecision> stage;
        try {
            stage = hook.check(this);
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
        if (stage == null) {
            return CompletableFuture.failedFuture(new NullPointerException("the upgrade hook returned no stage"));
        }
        return stage.thenApply(decision -> {
            if (decision == null) {
                throw new NullPointerException("the upgrade hook decided null");
            }
            return decision;
        });
    }

    /** Two acceptances: the headers and attributes of both, the later subprotocol when it chose one. */
    private static UpgradeDecision combine(UpgradeDecision earlier, UpgradeDecision later) {
        if (!later.isAccepted()) {
            return later;
        }
        UpgradeDecision both = earlier;
        HttpHeaders headers = later.headers();
        for (int i = 0; i < headers.size(); i++) {
            both = both.withHeader(headers.name(i), headers.value(i));
        }
        for (Map.Entry<AttributeKey<?>, Object> attribute : later.attributes().entrySet()) {
            both = withAttribute(both, attribute.getKey(), attribute.getValue());
        }
        return later.subprotocol() == null ? both : both.withSubprotocol(later.subprotocol());
    }

    private static <T> UpgradeDecision withAttribute(UpgradeDecision decision, AttributeKey<T> key, Object value) {
        return decision.withAttribute(key, key.type().cast(value));
    }

    @Override
    public String target() {
        return request.target();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public Map<String, String> pathParams() {
        return pathParams;
    }

    @Override
    public String query() {
        return request.query();
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return QueryParameters.parse(request.query());
    }

    @Override
    public HttpHeaders headers() {
        HttpHeaders copy = new HttpHeaders();
        request.headers().forEach(copy::add);
        return copy;
    }

    @Override
    public String header(String name) {
        return request.headers().first(name);
    }

    @Override
    public List<String> subprotocols() {
        return List.copyOf(request.headers().tokens("Sec-WebSocket-Protocol"));
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public SSLSession sslSession() {
        return tls;
    }

    @Override
    public String toString() {
        return "upgrade " + request.target() + " from " + remote;
    }
}
