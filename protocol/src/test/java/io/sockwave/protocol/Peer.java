package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A {@link Connection} under test with the events it reported and the frames it owes its peer. */
final class Peer {
    final Connection connection;
    final EventQueue events = new EventQueue();

    Peer(ConnectionConfig config) {
        this.connection = new Connection(config);
    }

    static Peer server() {
        return new Peer(ConnectionConfig.of(Role.SERVER));
    }

    static Peer client() {
        return new Peer(ConnectionConfig.of(Role.CLIENT));
    }

    static Peer server(Limits limits) {
        return new Peer(ConnectionConfig.of(Role.SERVER).withLimits(limits));
    }

    /** Feeds the bytes in one heap buffer and returns the events they caused. */
    List<Event> receive(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes.clone());
        connection.receive(in, events);
        if (in.hasRemaining()) {
            throw new AssertionError("receive left " + in.remaining() + " bytes unconsumed");
        }
        return events.drain();
    }

    /** Feeds the bytes one at a time and returns all the events they caused. */
    List<Event> receiveByteByByte(byte[] bytes) {
        List<Event> all = new ArrayList<>();
        for (byte b : bytes) {
            all.addAll(receive(new byte[] {b}));
        }
        return all;
    }

    /** Drains and decodes {@link Connection#pollOutput()}. */
    List<Frames.Decoded> output() {
        List<Frames.Decoded> frames = new ArrayList<>();
        for (ByteBuffer frame = connection.pollOutput(); frame != null; frame = connection.pollOutput()) {
            frames.add(Frames.decode(frame));
        }
        return frames;
    }

    State state() {
        return connection.state();
    }
}
