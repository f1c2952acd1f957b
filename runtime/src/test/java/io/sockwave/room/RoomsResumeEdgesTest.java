package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Edges of resume and retention on the in-memory log: at the retention edge, at the head, quick rejoins. */
class RoomsResumeEdgesTest {
    private static InProcessRoomsTest.Recorder join(Rooms rooms, String member, RoomOffset since) throws Exception {
        InProcessRoomsTest.Recorder recorder = new InProcessRoomsTest.Recorder();
        rooms.join("room", member, since, recorder).get(5, TimeUnit.SECONDS);
        return recorder;
    }

    @Test
    void resumeAtTheRetentionEdgeAndAtTheHead() throws Exception {
        try (Rooms rooms = Rooms.on(new InMemoryRoomLog(20), "edge")) {
            InProcessRoomsTest.Recorder speaker = join(rooms, "speaker", null);
            RoomOffset head = null;
            for (int i = 0; i < 50; i++) {
                head = speaker.membership.publish("", "m" + i).get(5, TimeUnit.SECONDS);
            }
            String epoch = head.epoch();
            long h = head.sequence(); // the log holds h-19 .. h
            // exactly at the edge: the join (h+1) trims h-19, so h-18 is the oldest kept; h-19 was had: no reset
            InProcessRoomsTest.Recorder edge = join(rooms, "edge", new RoomOffset(epoch, h - 19));
            edge.awaitSequence(h + 1);
            assertEquals(h - 18, edge.events().get(0).offset().sequence());
            assertTrue(edge.received.stream().noneMatch(RoomOffset.class::isInstance), "no reset: " + edge.received);
            // one further back: a reset, then complete from the oldest kept (the join trimmed one more)
            InProcessRoomsTest.Recorder past = join(rooms, "past", new RoomOffset(epoch, h - 19));
            past.awaitSequence(h + 2);
            assertTrue(past.received.get(0) instanceof RoomOffset, "reset first: " + past.received);
            // exactly at the head: only what followed
            RoomOffset now = speaker.events().get(speaker.events().size() - 1).offset();
            speaker.awaitSequence(h + 2);
            InProcessRoomsTest.Recorder atHead = join(rooms, "at-head", new RoomOffset(epoch, h + 2));
            atHead.awaitSequence(h + 3);
            List<RoomEvent> events = atHead.events();
            assertEquals(h + 3, events.get(0).offset().sequence(), String.valueOf(now));
            assertEquals(1, events.size());
        }
    }

    @Test
    void leavingAndJoiningAgainAtOnceKeepsOneOrder() throws Exception {
        try (Rooms rooms = Rooms.on(new InMemoryRoomLog(1000), "flap")) {
            InProcessRoomsTest.Recorder watcher = join(rooms, "watcher", null);
            InProcessRoomsTest.Recorder flapper = join(rooms, "flapper", null);
            for (int i = 0; i < 50; i++) {
                flapper.membership.leave();
                flapper = join(rooms, "flapper", null);
            }
            RoomOffset last = watcher.membership.publish("", "end").get(5, TimeUnit.SECONDS);
            watcher.awaitSequence(last.sequence());
            List<RoomEvent> events = watcher.events();
            for (int i = 1; i < events.size(); i++) {
                assertEquals(events.get(i - 1).offset().sequence() + 1, events.get(i).offset().sequence());
            }
            assertEquals(51, events.stream().filter(e -> e.kind() == RoomEvent.Kind.JOIN
                    && e.member().equals("flapper")).count());
        }
    }
}
