package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The meter every fuzz target trusts: it must see what the thread allocates, and only that. */
class FuzzBoundsTest {
    /** Kept reachable so that the allocation is not optimised away. */
    private static volatile byte[] sink;

    @Test
    void anAllocationPastTheBoundFailsNamingWhatWasFedAndHowMuch() {
        FuzzBounds bounds = FuzzBounds.start();
        sink = new byte[8 << 20];
        AssertionError error = assertThrows(AssertionError.class,
                () -> bounds.checkAllocatedAtMost(FuzzBounds.SLACK, "a test input"));
        assertTrue(error.getMessage().matches("a test input allocated \\d+ bytes, more than its bound 1048576"),
                error.getMessage());
    }

    @Test
    void anInputThatAllocatesLittlePasses() {
        FuzzBounds bounds = FuzzBounds.start();
        sink = new byte[1024];
        assertDoesNotThrow(() -> bounds.checkAllocatedAtMost(FuzzBounds.SLACK, "a small input"));
    }
}
