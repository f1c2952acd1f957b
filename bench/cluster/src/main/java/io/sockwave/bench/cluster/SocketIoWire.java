package io.sockwave.bench.cluster;

/**
 * Socket.IO 4 spoken directly over its WebSocket transport (Engine.IO protocol 4, Socket.IO protocol 5), without
 * polling: the server opens with {@code 0{...}}, the client connects the main namespace with {@code 40} and is
 * answered {@code 40{"sid":..}}; events are {@code 42["event",...]}, an event asking for an ack is
 * {@code 42N[...]} and its ack {@code 43N[...]}; the server's ping {@code 2} is answered {@code 3}. The room is in
 * the handshake's query, joined by the server on connect (bench/cluster/socketio/server.js).
 */
final class SocketIoWire implements ChatWire {
    @Override
    public String label() {
        return "socketio";
    }

    @Override
    public String target(String room, String name, String since) {
        return "/socket.io/?EIO=4&transport=websocket&room=" + room + "&name=" + name;
    }

    @Override
    public boolean replays() {
        return false;
    }

    @Override
    public String messageFrame(String id, String text, int ackNumber) {
        return "42" + ackNumber + "[\"msg\",{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}]";
    }

    @Override
    public void received(ChatClient client, String text) {
        if (text.startsWith("42[\"message\"")) {
            client.message(ChatWire.stringField(text, "id"));
        } else if (text.startsWith("43")) {
            client.acked(ChatWire.stringField(text, "id"));
        } else if (text.equals("2")) {
            client.send("3");
        } else if (text.startsWith("40")) {
            client.joined();
        } else if (text.startsWith("0{")) {
            client.send("40");
        } else {
            client.problem("unexpected Socket.IO packet " + text);
        }
    }
}
