package io.sockwave.bench.cluster;

/**
 * How one chat system is spoken over a WebSocket: the request target that joins a room, the frame that sends a
 * message, and the reading of what the server sends. The generator, its WebSocket client and its measurements are
 * the same for every system; only this differs.
 */
interface ChatWire {
    /** @return the system's label in reports */
    String label();

    /**
     * @param room the room to join
     * @param name the member's name
     * @param since the offset of the last event received, to resume after it, or null
     * @return the request target of the WebSocket upgrade
     */
    String target(String room, String name, String since);

    /** @return whether the system replays what a client missed when it resumes on another node */
    boolean replays();

    /**
     * @param id the message's id, unique in the run
     * @param text its text
     * @param ackNumber a number the client has not used for an ack yet
     * @return the text frame that sends it and asks for an acknowledgement
     */
    String messageFrame(String id, String text, int ackNumber);

    /**
     * Reads one text message from the server and reports it to the client.
     *
     * @param client the connection it arrived on
     * @param text the message
     */
    void received(ChatClient client, String text);

    /**
     * @param text a JSON text
     * @param field a field name
     * @return the value of the first string field of that name, or null; the generator's own ids, names and offsets
     *     need no unescaping
     */
    static String stringField(String text, String field) {
        String key = "\"" + field + "\":\"";
        int at = text.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = text.indexOf('"', start);
        return end < 0 ? null : text.substring(start, end);
    }
}
