package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rooms on one node with the in-memory log: the reference for the Redis log's tests (sockwave-redis). */
class InProcessRoomsTest {
    /** Records what a member receives; events and resets in one list, in order. */
    static final class Recorder implements RoomListener {
        final List<Object> received = new ArrayList<>();
        volatile Membership membership;

        @Override
        public void onJoined(Membership joined) {
            membership = joined;
        }

        @Override
        public synchronized void onEvent(RoomEvent event) {
            received.add(event);
            notifyAll();
        }

        @Override
        public synchronized void onReset(String reason, RoomOffset resumesAfter) {
            received.add(resumesAfter);
            notifyAll();
        }

        @Override
        public void onClosed(String reason) {
        }

        synchronized List<RoomEvent> events() {
            return received.stream().filter(RoomEvent.class::isInstance).map(RoomEvent.class::cast).toList();
        }

        synchronized void awaitSequence(long sequence) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events().stream().noneMatch(e -> e.offset().sequence() == sequence)) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "no event " + sequence + " in " + received);
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private static Recorder join(Rooms rooms, String member, RoomOffset since) throws Exception {
        Recorder recorder = new Recorder();
        rooms.join("room", member, since, recorder).get(5, TimeUnit.SECONDS);
        return recorder;
    }

    private static void assertContiguous(List<RoomEvent> events, long first) {
        for (int i = 0; i < events.size(); i++) {
            assertEquals(first + i, events.get(i).offset().sequence(), "event " + i + " of " + events);
        }
    }

    @Test
    void membersReceiveEveryEventOnceInOneOrderFromTheirJoin() throws Exception {
        try (Rooms rooms = Rooms.inProcess()) {
            Recorder a = join(rooms, "a", null);
            Recorder b = join(rooms, "b", null);
            Thread other = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    b.membership.publish("b" + i, "from b");
                }
            });
            other.start();
            for (int i = 0; i < 200; i++) {
                a.membership.publish("a" + i, "from a");
            }
            other.join();
            long last = a.membership.publish("", "last").get(5, TimeUnit.SECONDS).sequence();
            a.awaitSequence(last);
            b.awaitSequence(last);
            assertContiguous(a.events(), 1);
            assertContiguous(b.events(), 2);
            assertEquals(a.events().subList(1, a.events().size()), b.events());
            assertEquals(RoomEvent.Kind.JOIN, b.events().get(0).kind());
        }
    }

    @Test
    void aResumeDeliversExactlyWhatWasMissed() throws Exception {
        try (Rooms rooms = Rooms.inProcess()) {
            Recorder speaker = join(rooms, "speaker", null);
            Recorder away = join(rooms, "away", null);
            RoomOffset last = away.membership.joinedAt();
            away.membership.leave().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 40; i++) {
                speaker.membership.publish("", "missed " + i).get(5, TimeUnit.SECONDS);
            }
            Recorder back = join(rooms, "away", last);
            long end = speaker.membership.publish("", "live").get(5, TimeUnit.SECONDS).sequence();
            back.awaitSequence(end);
            assertContiguous(back.events(), last.sequence() + 1);
            assertEquals(RoomEvent.Kind.LEAVE, back.events().get(0).kind());
            assertEquals(40, back.events().stream().filter(e -> e.text().startsWith("missed")).count());
        }
    }

    @Test
    void anOffsetTheLogNoLongerHoldsGetsAReset() throws Exception {
        try (Rooms rooms = Rooms.on(new InMemoryRoomLog(8), "small")) {
            Recorder speaker = join(rooms, "speaker", null);
            RoomOffset old = speaker.membership.joinedAt();
            for (int i = 0; i < 20; i++) {
                speaker.membership.publish("", "m" + i).get(5, TimeUnit.SECONDS);
            }
            Recorder late = join(rooms, "late", old);
            late.awaitSequence(22);
            synchronized (late) {
                assertTrue(late.received.get(0) instanceof RoomOffset, "a reset before any event: " + late.received);
                RoomOffset resumesAfter = (RoomOffset) late.received.get(0);
                assertContiguous(late.events(), resumesAfter.sequence() + 1);
            }
        }
    }

    @Test
    void aMessageIdIsAppendedOnce() throws Exception {
        try (Rooms rooms = Rooms.inProcess()) {
            Recorder sender = join(rooms, "sender", null);
            RoomOffset first = sender.membership.publish("same", "once").get(5, TimeUnit.SECONDS);
            assertEquals(first, sender.membership.publish("same", "once").get(5, TimeUnit.SECONDS));
            long marker = sender.membership.publish("", "marker").get(5, TimeUnit.SECONDS).sequence();
            sender.awaitSequence(marker);
            assertEquals(1, sender.events().stream().filter(e -> e.messageId().equals("same")).count());
        }
    }

    @Test
    void aNameIsHeldOnceUntilItsMemberLeaves() throws Exception {
        try (Rooms rooms = Rooms.inProcess()) {
            Recorder alice = join(rooms, "alice", null);
            ExecutionException taken = assertThrows(ExecutionException.class,
                    () -> rooms.join("room", "alice", null, new Recorder()).get(5, TimeUnit.SECONDS));
            assertEquals(RoomException.Reason.NAME_TAKEN, ((RoomException) taken.getCause()).reason());
            alice.membership.leave().get(5, TimeUnit.SECONDS);
            assertEquals(List.of("alice"), join(rooms, "alice", null).membership.present());
        }
    }

    @Test
    void offsetsReadBackAsWritten() {
        assertEquals(new RoomOffset("k3x9q2", 42), RoomOffset.parse("k3x9q2-42"));
        assertEquals("k3x9q2-42", new RoomOffset("k3x9q2", 42).toString());
        for (String bad : new String[] {"", "-1", "abc", "abc-", "ABC-1", "abc--1", "abc-x"}) {
            assertThrows(IllegalArgumentException.class, () -> RoomOffset.parse(bad), bad);
        }
    }
}
