package io.sockwave.runtime;

import io.sockwave.Listener;
import io.sockwave.UpgradeHook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The server's routes: patterns in precedence order (see {@link RoutePattern#compareTo}) and a fallback. Exact
 * paths, the common case, are found by one hash lookup. Built by {@link io.sockwave.Server.Builder}, then copied
 * into an immutable router that the loops share.
 */
public final class Router {
    /** The exact paths' matches, made once: they have no parameters, so every request for the path shares one. */
    private final Map<String, Match> exact;
    private final List<Route> patterns;
    private Match fallback;

    /** Creates an empty router, which matches nothing. */
    public Router() {
        this(new HashMap<>(), new ArrayList<>(), null);
    }

    private Router(Map<String, Match> exact, List<Route> patterns, Match fallback) {
        this.exact = exact;
        this.patterns = patterns;
        this.fallback = fallback;
    }

    /**
     * @param pattern a route pattern: see {@link io.sockwave.Server.Builder#route}
     * @param hook decides about each upgrade before it is answered; null for none
     * @param listener the listener of its sessions
     * @throws IllegalArgumentException if the pattern cannot be parsed, or matches the same paths as one added before
     */
    public void add(String pattern, UpgradeHook hook, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        RoutePattern parsed = RoutePattern.parse(Objects.requireNonNull(pattern, "pattern"));
        for (Route route : patterns) {
            if (route.pattern().sameShape(parsed)) {
                throw new IllegalArgumentException("route pattern \"" + pattern + "\" matches the same paths as \""
                        + route.pattern() + "\", routed already");
            }
        }
        Route route = new Route(parsed, hook, listener);
        patterns.add(route);
        patterns.sort((a, b) -> a.pattern().compareTo(b.pattern()));
        if (parsed.isExact()) {
            exact.put(pattern, new Match(route, Map.of()));
        }
    }

    /** @param listener serves upgrades that no pattern matches; null for none, when they get 404 */
    public void fallback(Listener listener) {
        this.fallback = listener == null ? null : new Match(new Route(null, null, listener), Map.of());
    }

    /** @return an immutable copy of this router */
    public Router snapshot() {
        return new Router(Map.copyOf(exact), List.copyOf(patterns), fallback);
    }

    /**
     * @param rawPath the request path as sent, starting with {@code /}
     * @return the route that serves it and its path parameters, or null when none does
     * @throws IllegalArgumentException if the path is not valid percent-encoded UTF-8, has a {@code .} or
     *     {@code ..} segment, or holds an encoded {@code /} in the rest of the prefix route that matches it
     */
    Match match(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        Match hit = exact.get(rawPath);
        if (hit != null) {
            return hit;
        }
        RequestPath path = RequestPath.parse(rawPath);
        for (Route route : patterns) {
            Map<String, String> params = route.pattern().match(path);
            if (params != null) {
                return new Match(route, params);
            }
        }
        return fallback;
    }

    /**
     * @param rawPath a request path as sent
     * @return whether a route pattern (not the fallback) matches it; false for a path that does not decode
     */
    boolean routes(String rawPath) {
        try {
            Match match = match(rawPath);
            return match != null && match.route().pattern() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * One route.
     *
     * @param pattern its pattern; null for the fallback
     * @param hook decides about each upgrade before it is answered; null for none
     * @param listener the listener of its sessions
     */
    record Route(RoutePattern pattern, UpgradeHook hook, Listener listener) {
    }

    /**
     * A route that serves a request path.
     *
     * @param route the route
     * @param pathParams the values of its pattern's parameters
     */
    record Match(Route route, Map<String, String> pathParams) {
    }
}
