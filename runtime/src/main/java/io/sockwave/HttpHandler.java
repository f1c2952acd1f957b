package io.sockwave;

import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;

/**
 * Answers the plain HTTP requests a server receives, those that are not WebSocket upgrades; a web page served beside
 * its WebSocket endpoints, for example. The connection is closed after the response: there is no keep-alive, so the
 * server sends one {@code Connection} field ending in {@code close} (RFC 9112 §9.6) in place of any the handler set,
 * less a {@code keep-alive} option and any {@code Keep-Alive} field. The body goes as it is, framed by
 * {@code Content-Length}: a response with {@code Transfer-Encoding}, or whose {@code Content-Length} is not its
 * body's length (an empty body may carry the representation's), is answered with 500 like an exception.
 * Runs where listener callbacks run (see {@link Listener}); an exception is answered with 500, and a request the
 * callback executor refuses to run the handler for (it was shut down) with 503.
 *
 * <p>A request reaches the handler only once it is valid by RFC 9112 (one valid {@code Host}, a usable
 * {@code Content-Length}); an absolute-form target arrives in origin-form, with its authority as {@code Host}. The
 * server sends a HEAD answer without its body (RFC 9110 §9.3.2), so a handler may answer HEAD as GET. A 404 for a
 * path that a WebSocket route matches becomes 426 Upgrade Required with {@code Upgrade: websocket} (RFC 9110
 * §15.5.22): the handler serves the paths it knows, the routes' paths among them if it likes, and a client that
 * forgot to upgrade learns why.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * @param request the request head; a request body, if any, is not read
     * @return the response, e.g. {@code HttpResponse.of(200, "text/html; charset=utf-8", page)}; a final one,
     *     200 to 599 (a 1xx, which is interim, or a code past 599, invalid by RFC 9110 §15, is answered with 500
     *     like an exception)
     */
    HttpResponse handle(HttpRequest request);

    /** @return the default handler, which answers every request with 404 */
    static HttpHandler notFound() {
        return request -> HttpResponse.error(404, "no resource at " + request.path());
    }
}
