package io.sockwave.room;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One room as a node holds it: its members here, the epoch it knows, and whether a read is under way. Loop-confined. */
final class RoomState {
    final String name;
    final List<Member> members = new ArrayList<>();
    final Set<String> joining = new HashSet<>();
    String epoch;
    boolean reading;
    boolean readAgain;
    /** Events that came with their notifications, to be handed out together by the task queued for the first. */
    List<RoomEvent> notified = new ArrayList<>();

    RoomState(String name) {
        this.name = name;
    }

    boolean holds(String member) {
        return joining.contains(member) || members.stream().anyMatch(m -> m.name.equals(member));
    }
}
