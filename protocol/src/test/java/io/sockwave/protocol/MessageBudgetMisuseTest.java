package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * MessageBudget's public tryReserve and release take "bytes ... not negative" and "bytes reserved earlier": a caller
 * breaking that must be told, not silently widen a budget that every connection of a server shares.
 */
class MessageBudgetMisuseTest {

    @Test
    void aNegativeReservationIsRefusedAndCountsNothing() {
        MessageBudget budget = new MessageBudget(100);
        budget.tryReserve(40);

        assertThrows(IllegalArgumentException.class, () -> budget.tryReserve(-40));

        assertEquals(40, budget.held());
        assertFalse(budget.tryReserve(61), "the capacity is still 100 bytes");
    }

    @Test
    void releasingMoreThanIsHeldIsRefusedAndLeavesTheCountAsItWas() {
        MessageBudget budget = new MessageBudget(100);
        budget.tryReserve(40);

        assertThrows(IllegalStateException.class, () -> budget.release(41));

        assertEquals(40, budget.held());
        assertFalse(budget.tryReserve(61), "a release of bytes never reserved must not make room");
    }

    @Test
    void aNegativeReleaseIsRefused() {
        MessageBudget budget = new MessageBudget(100);
        budget.tryReserve(40);

        assertThrows(IllegalArgumentException.class, () -> budget.release(-1));

        assertEquals(40, budget.held());
    }

    @Test
    void theUnlimitedBudgetRefusesANegativeReservationToo() {
        assertThrows(IllegalArgumentException.class, () -> MessageBudget.unlimited().tryReserve(-1));
    }
}
