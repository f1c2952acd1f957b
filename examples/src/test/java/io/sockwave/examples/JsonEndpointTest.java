package io.sockwave.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JsonEndpointTest {
    @Test
    void answersRequestsAndReportsHealthOnOnePort() throws Exception {
        try (Server server = JsonEndpoint.start(0); Client client = Client.create()) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("{\"status\":\"up\"}", health.body());

            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/api"), new Listener() {
                @Override
                public void onText(Session s, String text) {
                    answers.add(text);
                }
            }).get(10, TimeUnit.SECONDS);
            session.sendText("{\"id\": 1, \"op\": \"sum\", \"args\": [1, 2.5]}");
            assertEquals("{\"id\":1,\"result\":3.5,\"error\":null}", answers.poll(10, TimeUnit.SECONDS));
            session.sendText("{\"id\": 2, \"op\": \"divide\", \"args\": []}");
            assertEquals("{\"id\":2,\"result\":null,\"error\":\"unknown op divide\"}",
                    answers.poll(10, TimeUnit.SECONDS));
            session.sendText("not json");
            String malformed = answers.poll(10, TimeUnit.SECONDS);
            assertEquals(true, malformed.startsWith("{\"id\":null,\"result\":null,\"error\":\"malformed request"),
                    malformed);
        }
    }

    /**
     * The class promises an error for "a request that cannot be served"; JSON {@code null} and a null among the
     * numbers are such requests, which threw out of {@code onText} (a NullPointerException) and closed the
     * session with 1011 instead.
     */
    @Test
    void nullRequestsAndNullArgumentsAreAnsweredWithAnErrorAndTheSessionStaysOpen() throws Exception {
        try (Server server = JsonEndpoint.start(0); Client client = Client.create()) {
            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/api"), new Listener() {
                @Override
                public void onText(Session s, String text) {
                    answers.add(text);
                }

                @Override
                public void onClose(Session s, int code, String reason) {
                    answers.add("close " + code);
                }
            }).get(10, TimeUnit.SECONDS);
            session.sendText("null");
            assertEquals("{\"id\":null,\"result\":null,\"error\":\"malformed request: null\"}",
                    answers.poll(10, TimeUnit.SECONDS));
            session.sendText("{\"id\": 3, \"op\": \"sum\", \"args\": [1, null]}");
            assertEquals("{\"id\":3,\"result\":null,\"error\":\"args holds a null\"}",
                    answers.poll(10, TimeUnit.SECONDS));
            session.sendText("{\"id\": 4, \"op\": \"max\", \"args\": [1, 2]}");
            assertEquals("{\"id\":4,\"result\":2.0,\"error\":null}", answers.poll(10, TimeUnit.SECONDS));
            session.sendText("{\"id\": 5, \"op\": \"sum\"}");
            assertEquals("{\"id\":5,\"result\":0.0,\"error\":null}", answers.poll(10, TimeUnit.SECONDS));
        }
    }
}
