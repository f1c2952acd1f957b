package io.sockwave.bench.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One room of the workload: its members and every message the generator sent to it, numbered from 0 in the
 * order sent, with its intended send time, the sender's node, and whether the server acknowledged or refused it.
 */
final class Room {
    final int index;
    final String name;
    final List<ChatClient> members = new ArrayList<>();
    final BitSet acked = new BitSet();
    final BitSet refused = new BitSet();
    private long[] intended = new long[1024];
    private int[] senderNode = new int[1024];
    private int sent;

    Room(int index) {
        this.index = index;
        this.name = "r" + index;
    }

    /**
     * @param intendedNanos when the schedule meant the message to leave
     * @param node the sender's node
     * @return the message's number in this room
     */
    int record(long intendedNanos, int node) {
        if (sent == intended.length) {
            intended = Arrays.copyOf(intended, sent * 2);
            senderNode = Arrays.copyOf(senderNode, sent * 2);
        }
        intended[sent] = intendedNanos;
        senderNode[sent] = node;
        return sent++;
    }

    /** @return the messages sent to this room so far; the next one gets this number */
    int sent() {
        return sent;
    }

    /** @return the node the message's sender was on */
    int senderNode(int message) {
        return senderNode[message];
    }

    /** @return a member in the room now, picked at random, or null if a few tries found none */
    ChatClient randomOpenMember(SplittableRandom random) {
        for (int i = 0; i < 16; i++) {
            ChatClient c = members.get(random.nextInt(members.size()));
            if (c.open) {
                return c;
            }
        }
        return null;
    }
}
