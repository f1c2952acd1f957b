package io.sockwave.cli.bench;

import io.sockwave.protocol.handshake.RedactedUrl;
import java.net.URI;
import java.time.Duration;

/**
 * What one bench run does. A run always has a time limit; a message count, when given, can end it sooner.
 *
 * @param url the echo endpoint
 * @param connections how many connections run side by side
 * @param inFlight how many messages each connection keeps awaiting their echo
 * @param size the payload size of each message, in bytes
 * @param duration the time limit of the measurement
 * @param messages the number of echoes to collect over all connections, or 0 for as many as the time allows
 * @param rate the most messages sent per second over all connections, or 0 for no limit
 * @param binary true to send binary messages, false for text
 * @param compression true to offer permessage-deflate
 */
public record BenchSettings(URI url, int connections, int inFlight, int size, Duration duration, long messages,
        double rate, boolean binary, boolean compression) {
    /**
     * Creates the record, checking its components.
     *
     * @param url the echo endpoint
     * @param connections how many connections run side by side
     * @param inFlight how many messages each connection keeps awaiting their echo
     * @param size the payload size of each message, in bytes
     * @param duration the time limit of the measurement
     * @param messages the number of echoes to collect over all connections, or 0 for as many as the time allows
     * @param rate the most messages sent per second over all connections, or 0 for no limit
     * @param binary true to send binary messages, false for text
     * @param compression true to offer permessage-deflate
     * @throws IllegalArgumentException if a count is out of range
     */
    public BenchSettings {
        if (connections < 1 || inFlight < 1 || size < 0 || messages < 0 || rate < 0
                || duration.isNegative() || duration.isZero()) {
            // Not this record's toString: its fields are not yet assigned here.
            throw new IllegalArgumentException("invalid bench settings: " + shown(url, connections, inFlight, size,
                    duration, messages, rate, binary, compression));
        }
    }

    /** @return the components, as a record shows them, with the URL's password as {@code ***} */
    @Override
    public String toString() {
        return shown(url, connections, inFlight, size, duration, messages, rate, binary, compression);
    }

    private static String shown(URI url, int connections, int inFlight, int size, Duration duration, long messages,
                                double rate, boolean binary, boolean compression) {
        return "BenchSettings[url=" + RedactedUrl.of(String.valueOf(url)) + ", connections=" + connections
                + ", inFlight=" + inFlight + ", size=" + size + ", duration=" + duration + ", messages=" + messages
                + ", rate=" + rate + ", binary=" + binary + ", compression=" + compression + "]";
    }

    /** @return the URL as reports and messages show it: its password, if it has one, as {@code ***} */
    public String shownUrl() {
        return RedactedUrl.of(url.toString());
    }

    /** @return a one-line description, such as {@code 4 connections x 1 in flight, 64-byte text messages} */
    public String describe() {
        return connections + (connections == 1 ? " connection" : " connections") + " x " + inFlight + " in flight, "
                + size + "-byte " + (binary ? "binary" : "text") + " messages"
                + (compression ? ", compressed" : "")
                + (rate > 0 ? ", at most " + Format.decimal(rate) + " msg/s" : "")
                + (messages > 0 ? ", " + messages + " messages" : "")
                + " within " + Format.seconds(duration);
    }
}
