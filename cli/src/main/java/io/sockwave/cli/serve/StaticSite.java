package io.sockwave.cli.serve;

import io.sockwave.HttpHandler;
import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the chat page and its script, style sheet and icon from the jar, and nothing else: a fixed map of paths, so no
 * request can reach another file. Every response forbids loading anything from elsewhere.
 */
final class StaticSite implements HttpHandler {
    /** Scripts and styles only from this server; WebSocket connections to it, plain or TLS. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self' ws: wss:; img-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

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
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            HttpResponse refused = HttpResponse.error(405, request.method() + " is not supported here");
            refused.headers().add("Allow", "GET, HEAD");
            return refused;
        }
        Resource resource = resources.get(request.path());
        if (resource == null) {
            return HttpResponse.error(404, "no resource at " + request.path());
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
