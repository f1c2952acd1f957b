package io.sockwave.cli.it.soak;

import io.sockwave.cli.it.soak.RoomLogs.Entry;
import io.sockwave.cli.it.soak.RoomLogs.Log;
import io.sockwave.cli.it.soak.SoakClient.Seen;
import io.sockwave.cli.it.soak.SoakClient.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The soak's checks of what the clients received and were told against the room logs in Redis. Counts every
 * violation instead of stopping at the first, and keeps a few examples of each for the report.
 */
final class SoakVerdict {
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> examples = new ArrayList<>();
    private long killedSessions;
    private long killedLeaves;

    SoakVerdict() {
        for (String name : List.of("lost", "duplicated", "reordered", "mismatched", "other epoch", "never joined",
                "acknowledged missing", "acknowledged elsewhere", "appended twice", "ack conflicts",
                "unacknowledged", "resets", "leaves missing", "leaves unexpected")) {
            counts.put(name, 0L);
        }
    }

    /** Checks every client's transcript and sessions, and every acknowledgement, against the logs. */
    static SoakVerdict judge(Map<String, Log> logs, List<SoakClient> clients, SoakTally tally, Set<String> killed) {
        SoakVerdict verdict = new SoakVerdict();
        for (SoakClient client : clients) {
            Log log = logs.get(client.room);
            verdict.transcript(client, log);
            verdict.sessions(client, log, killed);
            verdict.add("unacknowledged", client.pendingCount(), "client " + client.index);
        }
        verdict.acknowledgements(logs, tally);
        verdict.add("resets", tally.resets.get(), "resets received");
        verdict.add("ack conflicts", tally.ackConflicts.get(), "an id acknowledged at two offsets");
        return verdict;
    }

    /** The client's events, across its connections, must be the log from its first join to the head, once each. */
    private void transcript(SoakClient client, Log log) {
        String who = "client " + client.index + " in " + client.room;
        if (client.firstJoin() < 0) {
            add("never joined", 1, who);
            return;
        }
        Map<Long, Entry> bySequence = new HashMap<>();
        log.entries().forEach(entry -> bySequence.put(entry.sequence(), entry));
        Set<Long> seen = new HashSet<>();
        long highest = 0;
        for (Seen event : client.transcript()) {
            if (!event.epoch().equals(log.epoch())) {
                add("other epoch", 1, who + ": " + event);
            } else if (!seen.add(event.sequence())) {
                add("duplicated", 1, who + ": " + event);
            } else {
                if (event.sequence() < highest) {
                    add("reordered", 1, who + ": " + event + " after " + highest);
                }
                highest = Math.max(highest, event.sequence());
                Entry entry = bySequence.get(event.sequence());
                if (entry == null || !entry.kind().equals(event.type()) || !entry.member().equals(event.member())
                        || !entry.id().equals(event.id())) {
                    add("mismatched", 1, who + ": received " + event + ", logged " + entry);
                }
            }
        }
        for (long sequence = client.firstJoin(); sequence <= log.head(); sequence++) {
            if (!seen.contains(sequence)) {
                add("lost", 1, who + ": " + log.epoch() + "-" + sequence);
            }
        }
    }

    /**
     * A membership that ended (its node killed or drained) must have its leave as the name's last join or leave in the log,
     * one still connected must not.
     */
    private void sessions(SoakClient client, Log log, Set<String> killed) {
        Map<String, String> lastKind = new HashMap<>();
        log.entries().stream().filter(entry -> !entry.kind().equals("message"))
                .forEach(entry -> lastKind.put(entry.member(), entry.kind()));
        for (Session session : client.sessions()) {
            if (session.joinedAt < 0) {
                continue;
            }
            String last = lastKind.get(session.name);
            boolean ended = session.ended != null;
            if (ended && killed.contains(session.nodeId)) {
                killedSessions++;
                killedLeaves += "leave".equals(last) ? 1 : 0;
            }
            if (ended && !"leave".equals(last)) {
                add("leaves missing", 1, session.name + " on " + session.nodeId + " (" + session.ended + ")");
            } else if (!ended && !"join".equals(last)) {
                add("leaves unexpected", 1, session.name + " on " + session.nodeId + ": last logged " + last);
            }
        }
    }

    /** Each acknowledged message is in its room's log once, at the offset it was acknowledged with. */
    private void acknowledgements(Map<String, Log> logs, SoakTally tally) {
        Map<String, String> logged = new HashMap<>();
        for (Map.Entry<String, Log> room : logs.entrySet()) {
            for (Entry entry : room.getValue().entries()) {
                if (entry.kind().equals("message") && !entry.id().isEmpty()) {
                    String offset = room.getValue().epoch() + "-" + entry.sequence();
                    if (logged.put(entry.id(), offset) != null) {
                        add("appended twice", 1, entry.id() + " in " + room.getKey());
                    }
                }
            }
        }
        tally.acknowledged.forEach((id, ack) -> {
            String offset = logged.get(id);
            if (offset == null) {
                add("acknowledged missing", 1, id + " acknowledged at " + ack.offset() + " in " + ack.room());
            } else if (!offset.equals(ack.offset())) {
                add("acknowledged elsewhere", 1, id + " acknowledged at " + ack.offset() + ", logged at " + offset);
            }
        });
    }

    private void add(String what, long count, String example) {
        if (count > 0) {
            counts.merge(what, count, Long::sum);
            if (examples.size() < 20) {
                examples.add(what + ": " + example);
            }
        }
    }

    long violations() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<String, Long> counts() {
        return counts;
    }

    List<String> examples() {
        return examples;
    }

    long killedSessions() {
        return killedSessions;
    }

    long killedLeaves() {
        return killedLeaves;
    }
}
