package io.sockwave;

import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;

/**
 * Answers the plain HTTP requests a server receives, those that are not WebSocket upgrades; a web page served beside
 * its WebSocket endpoints, for example. The connection is closed after the response: there is no keep-alive.
 * Runs where listener callbacks run (see {@link Listener}); an exception is answered with 500.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * @param request the request head; a request body, if any, is not read
     * @return the response, e.g. {@code HttpResponse.of(200, "text/html; charset=utf-8", page)}
     */
    HttpResponse handle(HttpRequest request);

    /** @return the default handler, which answers every request with 404 */
    static HttpHandler notFound() {
        return request -> HttpResponse.error(404, "no resource at " + request.path());
    }
}
