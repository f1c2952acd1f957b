package io.sockwave.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockwave.HttpHandler;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.handshake.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A JSON request/response endpoint at {@code /api} and a health check at {@code GET /health}, on one port.
 * A request {@code {"id": 1, "op": "sum", "args": [1, 2]}} is answered {@code {"id":1,"result":3.0}}; a request
 * that cannot be served gets an {@code error} instead of a result. Run with
 * {@code java io.sockwave.examples.JsonEndpoint [port]}.
 */
public final class JsonEndpoint implements Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A request.
     *
     * @param id echoed in the response
     * @param op {@code sum} or {@code max}
     * @param args the numbers
     */
    public record Request(long id, String op, List<Double> args) {
    }

    /**
     * A response: a result or an error.
     *
     * @param id the request's id, or null when the request could not be read
     * @param result the result, or null
     * @param error what went wrong, or null
     */
    public record Response(Long id, Double result, String error) {
    }

    /**
     * @param port the port, 0 for any free one
     * @return the started server
     * @throws IOException if the port cannot be bound
     */
    public static Server start(int port) throws IOException {
        HttpHandler health = request -> request.path().equals("/health")
                ? HttpResponse.of(200, "application/json", "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8))
                : HttpResponse.error(404, "nothing at " + request.path());
        return Server.builder().port(port).route("/api", new JsonEndpoint()).httpHandler(health).build().start();
    }

    @Override
    public void onText(Session session, String text) {
        Response response;
        try {
            Request request = JSON.readValue(text, Request.class);
            response = request == null ? new Response(null, null, "malformed request: null") : answer(request);
        } catch (JsonProcessingException e) {
            response = new Response(null, null, "malformed request: " + e.getOriginalMessage());
        }
        try {
            session.sendText(JSON.writeValueAsString(response));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response answer(Request request) {
        if (request.args() != null && request.args().contains(null)) {
            return new Response(request.id(), null, "args holds a null");
        }
        List<Double> args = request.args() == null ? List.of() : request.args();
        return switch (String.valueOf(request.op())) {
            case "sum" -> new Response(request.id(), args.stream().mapToDouble(Double::doubleValue).sum(), null);
            case "max" -> args.isEmpty()
                    ? new Response(request.id(), null, "max of nothing")
                    : new Response(request.id(), args.stream().mapToDouble(Double::doubleValue).max().getAsDouble(),
                            null);
            default -> new Response(request.id(), null, "unknown op " + request.op());
        };
    }

    /**
     * @param args the port, default 8080
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        Server server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("ws://localhost:" + server.port() + "/api and http://localhost:" + server.port()
                + "/health");
    }
}
