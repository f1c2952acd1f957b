package io.sockwave.runtime;

import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of an answer after which the server closes the connection (a refused upgrade, a plain request's response).
 * The server, not the hook or handler that made the response, decides how the connection ends, so it owns the fields
 * that say so: one {@code Connection} field (RFC 9110 §7.6.1: one list) that ends with {@code close} (RFC 9112 §9.6),
 * without the {@code keep-alive} or {@code Keep-Alive} field that would contradict it, listing {@code upgrade} when
 * the answer carries {@code Upgrade} (RFC 9110 §7.8), which a 426 always does (§15.5.22). It also dates the answer
 * (RFC 9110 §6.6.1) unless the response already has a {@code Date}.
 */
final class ClosingAnswer {
    private ClosingAnswer() {
    }

    /**
     * @param response the response as a hook or handler made it; left unchanged, since it may be answered again
     * @return the response to send
     */
    static HttpResponse of(HttpResponse response) {
        HttpHeaders given = response.headers();
        boolean upgradeMissing = response.status() == 426 && given.count("Upgrade") == 0;
        String connection = connectionOptions(given, upgradeMissing || given.count("Upgrade") > 0);
        HttpHeaders headers = new HttpHeaders();
        boolean placed = false;
        for (int i = 0; i < given.size(); i++) {
            String name = given.name(i);
            if (name.equalsIgnoreCase("Connection")) {
                // In the place of the first one, so that a response that had it right goes out as it was.
                if (!placed) {
                    headers.add("Connection", connection);
                    placed = true;
                }
            } else if (!name.equalsIgnoreCase("Keep-Alive")) {
                headers.add(name, given.value(i));
            }
        }
        if (upgradeMissing) {
            headers.add("Upgrade", "websocket");
        }
        if (!placed) {
            headers.add("Connection", connection);
        }
        if (given.count("Date") == 0) {
            headers.add("Date", HttpDate.now());
        }
        return new HttpResponse(response.status(), response.reason(), headers, response.body());
    }

    /** @return the options the response listed, less {@code close} and {@code keep-alive}, then {@code close} */
    private static String connectionOptions(HttpHeaders given, boolean upgrade) {
        List<String> options = new ArrayList<>(4);
        if (upgrade) {
            options.add("Upgrade");
        }
        for (String option : given.tokens("Connection")) {
            if (!option.equalsIgnoreCase("close") && !option.equalsIgnoreCase("keep-alive")
                    && options.stream().noneMatch(option::equalsIgnoreCase)) {
                options.add(option);
            }
        }
        options.add("close");
        return String.join(", ", options);
    }
}
