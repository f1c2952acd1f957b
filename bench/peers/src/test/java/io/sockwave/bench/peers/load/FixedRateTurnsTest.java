package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The order in which servers measured side by side take their turns. */
class FixedRateTurnsTest {
    private static final int CYCLES = 4000;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void everyCycleGivesEveryServerExactlyOneTurn(int n) {
        int[] everyLane = IntStream.range(0, n).toArray();
        for (long cycle = 0; cycle < CYCLES; cycle++) {
            int[] order = FixedRateScenario.order(cycle, n);
            Arrays.sort(order);
            assertArrayEquals(everyLane, order, "cycle " + cycle);
        }
    }

    /** A server slow to finish its turn delays the next one: every server must be "the next one" equally often. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8})
    void eachServerFollowsEveryOtherAboutEquallyOften(int n) {
        int[][] follows = new int[n][n];
        int previous = -1;
        for (long cycle = 0; cycle < CYCLES; cycle++) {
            for (int lane : FixedRateScenario.order(cycle, n)) {
                if (previous >= 0) {
                    follows[previous][lane]++;
                }
                previous = lane;
            }
        }
        // Per cycle, a given pair of distinct lanes is adjacent inside it with chance 1/n, and across the boundary to
        // the next cycle with chance 1/n^2.
        double mean = CYCLES * (1.0 / n + 1.0 / (n * n));
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b) {
                    assertTrue(Math.abs(follows[a][b] - mean) < 0.25 * mean,
                            "lane " + b + " followed lane " + a + " " + follows[a][b] + " times, expected ~" + mean);
                }
            }
        }
    }

    @Test
    void theOrderIsTheSameInEveryRun() {
        assertArrayEquals(FixedRateScenario.order(12345, 5), FixedRateScenario.order(12345, 5));
        assertEquals(5, Arrays.stream(FixedRateScenario.order(7, 5)).distinct().count());
    }
}
