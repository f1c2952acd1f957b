package io.sockwave.cli.serve;

import io.sockwave.HttpHandler;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * Serves the chat page and its script, style sheet and icon from the jar, and nothing else: a fixed map of paths, so no
 * request can reach another file. Every response forbids loading anything from elsewhere.
 */
final class StaticSite implements HttpHandler {
    /** Scripts and styles only from this server; WebSocket connections to it, plain or TLS. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self' ws: wss:; img-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    /** The methods every resource here allows. */
    private static final String ALLOW = "GET, HEAD, OPTIONS";
    /** The methods of RFC 9110 §9 and PATCH (RFC 5789): known, so refused with 405 rather than 501. */
    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private record Resource(String contentType, byte[] body) {}

    private final Map<String, Resource> resources;

    /** @throws UncheckedIOException if a page is missing from the jar, a packaging error */
    StaticSite() {
        resources = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/index.html", load("index.html", "text/html; charset=utf-8"),
                "/chat.js", load("chat.js", "text/javascript; charset=utf-8"),
                "/chat.css", load("chat.css", "text/css; charset=utf-8"),
                // Declared by the page, and asked for by browsers that look for it anyway: no failed request.
                "/favicon.svg", load("favicon.svg", "image/svg+xml"),
                "/favicon.ico", load("favicon.svg", "image/svg+xml"));
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String method = request.method();
        if (!STANDARD_METHODS.contains(method)) {
            // RFC 9110 §9.1: a method the server does not know is 501.
            return HttpResponse.error(501, method + " is not implemented");
        }
        if (method.equals("OPTIONS") && request.target().equals("*")) {
            return allowed();
        }
        Resource resource = resources.get(request.path());
        if (resource == null) {
            // Also on the chat's WebSocket routes, which the server then answers itself (426, or 405 with their
            // own Allow).
            return HttpResponse.error(404, "no resource at " + request.path());
        }
        if (method.equals("OPTIONS")) {
            return allowed();
        }
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            // §15.5.6: a method known but not allowed here is 405, with Allow.
            HttpResponse refused = HttpResponse.error(405, method + " is not supported here");
            refused.headers().add("Allow", ALLOW);
            return refused;
        }
        HttpResponse response = HttpResponse.of(200, resource.contentType(), head ? null : resource.body());
        response.headers()
                .add("Cache-Control", "no-cache")
                .add("X-Content-Type-Options", "nosniff")
                .add("Referrer-Policy", "no-referrer")
                .add("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        if (head) {
            response.headers().add("Content-Length", Integer.toString(resource.body().length));
        }
        return response;
    }

    /** RFC 9110 §9.3.7: what an OPTIONS request is told, for a resource here or (with {@code *}) the server. */
    private static HttpResponse allowed() {
        HttpResponse response = new HttpResponse(204, HttpResponse.reasonPhrase(204), new HttpHeaders(), null);
        response.headers().add("Allow", ALLOW);
        return response;
    }

    private static Resource load(String name, String contentType) {
        try (InputStream in = StaticSite.class.getResourceAsStream("/io/sockwave/cli/web/" + name)) {
            if (in == null) {
                throw new IOException("missing from the jar");
            }
            return new Resource(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the web page resource " + name, e);
        }
    }
}
