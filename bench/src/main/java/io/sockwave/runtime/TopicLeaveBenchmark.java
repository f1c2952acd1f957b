package io.sockwave.runtime;

import io.sockwave.bench.ByteCounter;
import io.sockwave.bench.ThroughputBenchmark;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * A topic's members on one loop leaving in random order, as in a mass disconnect, a server's shutdown or a network
 * partition: every one of {@code members} leaves, then they join again for the next operation (joining costs one
 * append each, a small part of it). The set is the one {@link TopicShard} keeps its members in; it lives in the
 * runtime's package, which this benchmark shares to reach it. {@code bytes} counts the members that left.
 */
public class TopicLeaveBenchmark extends ThroughputBenchmark {
    /** How many members leave per operation. */
    @Param({"1000", "10000", "50000"})
    public int members;

    private MemberSlots<Member> set;
    private Member[] joining;
    private Member[] leaving;

    /** A member, and the slot the set keeps it in, as a session's membership keeps it. */
    static final class Member {
        int slot;
    }

    /** The members, in the order they join and, shuffled with a fixed seed, in the order they leave. */
    @Setup
    public void setUp() {
        set = new MemberSlots<>() {
            @Override
            protected int slotOf(Member member) {
                return member.slot;
            }

            @Override
            protected void place(Member member, int slot) {
                member.slot = slot;
            }
        };
        joining = new Member[members];
        for (int i = 0; i < members; i++) {
            joining[i] = new Member();
        }
        leaving = joining.clone();
        Random random = new Random(16);
        for (int i = members - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Member swapped = leaving[i];
            leaving[i] = leaving[j];
            leaving[j] = swapped;
        }
    }

    /** Every member joins, then leaves in random order. */
    @Benchmark
    public int leaveInRandomOrder(ByteCounter counter) {
        for (Member member : joining) {
            set.add(member);
        }
        for (Member member : leaving) {
            set.remove(member);
        }
        counter.bytes += members;
        return set.slots();
    }
}
