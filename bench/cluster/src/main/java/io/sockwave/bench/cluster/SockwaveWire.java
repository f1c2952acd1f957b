package io.sockwave.bench.cluster;

/**
 * The chat protocol of {@code sockwave serve} (cli/README.md, "Chat protocol"): rooms by path, messages as
 * {@code {"id":..,"text":..}}, JSON events with offsets, resume with {@code ?since=}.
 */
final class SockwaveWire implements ChatWire {
    @Override
    public String label() {
        return "sockwave";
    }

    @Override
    public String target(String room, String name, String since) {
        return "/chat/" + room + "?name=" + name + (since == null ? "" : "&since=" + since);
    }

    @Override
    public boolean replays() {
        return true;
    }

    @Override
    public String messageFrame(String id, String text, int ackNumber) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}";
    }

    @Override
    public void received(ChatClient client, String text) {
        String type = ChatWire.stringField(text, "type");
        if (type == null) {
            client.problem("no type in " + text);
            return;
        }
        String offset = ChatWire.stringField(text, "offset");
        switch (type) {
            case "message" -> {
                client.logEvent(offset);
                client.message(ChatWire.stringField(text, "id"));
            }
            case "ack" -> client.acked(ChatWire.stringField(text, "id"));
            case "refused" -> client.refused(ChatWire.stringField(text, "id"));
            case "welcome" -> {
                client.logEvent(offset);
                client.joined();
            }
            case "join", "leave" -> client.logEvent(offset);
            case "reset" -> {
                client.logEvent(offset);
                client.reset();
            }
            default -> client.problem("unknown event " + text);
        }
    }
}
