package io.sockwave.runtime;

import java.util.Arrays;

/**
 * The members of one topic on one loop, in the array a hand-out walks. Each member keeps its slot (where the
 * subclass says), so that one leaves in constant time: the last member moves into its slot and is told so. A search
 * of the array instead made n members leaving in random order (a mass disconnect, a shutdown) cost about n²/4
 * comparisons on the loop, seconds for 50,000 members. While a walk runs, a member that leaves leaves a null slot,
 * so that the walk neither skips nor repeats anyone; the slots are compacted once it ends. The array shrinks as
 * members leave: a topic does not keep the room of its busiest hour. Confined to the loop's thread.
 *
 * @param <M> the members
 */
abstract class MemberSlots<M> {
    /** The room for members a set starts with, and shrinks back to once they leave. */
    static final int INITIAL_CAPACITY = 8;

    private Object[] members = new Object[INITIAL_CAPACITY];
    /** Slots in use, null ones included while a walk runs. */
    private int slots;
    private boolean walking;
    private boolean holes;

    /**
     * @param member a member
     * @return the slot it holds, as last given to {@link #place}
     */
    protected abstract int slotOf(M member);

    /**
     * Records where a member is: it joined, or moved.
     *
     * @param member a member
     * @param slot its slot from now on
     */
    protected abstract void place(M member, int slot);

    /** @param member a member joining, which must not be one already */
    final void add(M member) {
        if (slots == members.length) {
            members = Arrays.copyOf(members, slots * 2);
        }
        members[slots] = member;
        place(member, slots++);
    }

    /** @param member a member, which leaves */
    final void remove(M member) {
        int slot = slotOf(member);
        if (members[slot] != member) {
            throw new IllegalStateException("a member's slot is " + slot + ", which holds another");
        }
        if (walking) {
            members[slot] = null;
            holes = true;
            return;
        }
        int last = --slots;
        if (slot != last) {
            @SuppressWarnings("unchecked")
            M moved = (M) members[last];
            members[slot] = moved;
            place(moved, slot);
        }
        members[last] = null;
        shrinkIfSparse();
    }

    /** @return the slots a walk visits: those in use when it starts; a member that joins during it is past them */
    final int slots() {
        return slots;
    }

    /**
     * @param slot a slot below {@link #slots()}
     * @return its member, or null if one left it during the walk
     */
    @SuppressWarnings("unchecked")
    final M at(int slot) {
        return (M) members[slot];
    }

    /** A walk starts: members that leave from now on leave null slots. */
    final void startWalk() {
        walking = true;
    }

    /** The walk ended: the slots the members that left during it held are given up. */
    final void endWalk() {
        walking = false;
        if (holes) {
            compact();
        }
    }

    /** @return the room for members; a test checks it shrinks */
    final int capacity() {
        return members.length;
    }

    private void compact() {
        holes = false;
        int kept = 0;
        for (int i = 0; i < slots; i++) {
            @SuppressWarnings("unchecked")
            M member = (M) members[i];
            if (member != null) {
                if (kept != i) {
                    members[kept] = member;
                    place(member, kept);
                }
                kept++;
            }
        }
        Arrays.fill(members, kept, slots, null);
        slots = kept;
        shrinkIfSparse();
    }

    /** Halves the room once three quarters of it is empty. */
    private void shrinkIfSparse() {
        int room = members.length;
        while (room > INITIAL_CAPACITY && slots < room / 4) {
            room /= 2;
        }
        if (room < members.length) {
            members = Arrays.copyOf(members, room);
        }
    }
}
