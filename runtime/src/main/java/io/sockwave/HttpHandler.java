package io.sockwave;

import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;

/**
 * Answers the plain HTTP requests a server receives, those that are not WebSocket upgrades; a web page served beside
 * its WebSocket endpoints, for example. The connection is closed after the response: there is no keep-alive, so the
 * server sends one {@code Connection} field ending in {@code close} (RFC 9112 §9.6) in place of any the handler set,
 * less a {@code keep-alive} option and any {@code Keep-Alive} field, and answers nothing sent after the request.
 * The server adds a {@code Date} (RFC 9110 §6.6.1) unless the handler set one. The body goes as it is, framed by
 * {@code Content-Length}, which the server adds except on a 204 or 304 (RFC 9110 §8.6): a response with
 * {@code Transfer-Encoding}, or whose {@code Content-Length} is not its body's length (an empty body may carry the
 * representation's, but a 204 none), is answered with 500 like an exception.
 * Runs where listener callbacks run (see {@link Listener}); an exception is answered with 500, a request the
 * callback executor refuses to run the handler for (it was shut down) with 503, and so is one whose handler on that
 * executor has not answered within the handshake timeout (counted from the connection; its late answer is dropped).
 *
 * <p>A request reaches the handler only once it is valid by RFC 9112 (one valid {@code Host}, a usable
 * {@code Content-Length} or {@code Transfer-Encoding}); an absolute-form target arrives in origin-form, with its
 * authority as {@code Host}; {@code OPTIONS *} arrives with the target {@code *}, even with an {@code Upgrade}
 * field (RFC 9110 §7.8: it names no WebSocket endpoint), and so does a HEAD with the upgrade's fields, which cannot
 * switch protocols (a handshake is a GET): it is a plain HEAD. A {@code CONNECT} never does: the server, no proxy, answers
 * it with 501 (RFC 9110 §9.3.6), with an {@code Upgrade} field or without (a WebSocket handshake is a GET). The
 * server sends a HEAD answer without its body (RFC 9110 §9.3.2), so a handler may answer HEAD as GET (one that
 * answers with an empty body sets GET's {@code Content-Length}, or gets {@code Content-Length: 0}). A 404 for a path
 * that a WebSocket route matches becomes 426 Upgrade Required with {@code Upgrade: websocket} (RFC 9110 §15.5.22)
 * for GET and HEAD, and 405 with {@code Allow: GET} for another method (§15.5.6): the handler serves the paths it
 * knows, the routes' paths among them if it likes, and a client that forgot to upgrade learns why.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * @param request the request head; a request body, if any, is not read (the server discards it while the
     *     connection closes, and sends no 100 Continue)
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
