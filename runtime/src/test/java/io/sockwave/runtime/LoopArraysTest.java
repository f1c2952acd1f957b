package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sizes the loop's message arrays come in, that it reuses what comes back, and that what it keeps is bounded. */
class LoopArraysTest {
    @ParameterizedTest(name = "{0} bytes get an array of {1}")
    @CsvSource({"0, 4096", "1, 4096", "4096, 4096", "4097, 8192", "16384, 16384", "16385, 32768",
        "262144, 262144", "262145, 262145"})
    void sizes(int asked, int length) {
        assertEquals(length, new LoopArrays().take(asked).length);
    }

    @Test
    void anArrayGivenBackIsTheNextOneOfItsSize() {
        LoopArrays arrays = new LoopArrays();
        byte[] first = arrays.take(16384);
        arrays.give(first);
        assertEquals(16384, arrays.freeBytes());
        assertSame(first, arrays.take(10_000), "10,000 bytes fit the 16 KiB class");
        assertEquals(0, arrays.freeBytes());
        assertNotSame(first, arrays.take(16384), "an array is handed out once");
    }

    @Test
    void arraysOfNoClassAreNotKept() {
        LoopArrays arrays = new LoopArrays();
        arrays.give(new byte[5000]);
        arrays.give(new byte[0]);
        arrays.give(new byte[2048]);
        arrays.give(arrays.take(LoopArrays.MAX_CLASS + 1));
        assertEquals(0, arrays.freeBytes());
    }

    @Test
    void whatWaitsFreeIsBounded() {
        LoopArrays arrays = new LoopArrays();
        for (int i = 0; i < 5; i++) {
            arrays.give(new byte[LoopArrays.MAX_CLASS]);
        }
        arrays.give(new byte[LoopArrays.MIN_CLASS]);
        assertEquals(LoopArrays.MAX_FREE_BYTES, arrays.freeBytes(), "kept up to the bound, the rest dropped");
        arrays.take(LoopArrays.MAX_CLASS);
        arrays.give(new byte[LoopArrays.MIN_CLASS]);
        assertEquals(LoopArrays.MAX_FREE_BYTES - LoopArrays.MAX_CLASS + LoopArrays.MIN_CLASS, arrays.freeBytes());
    }

    @Test
    void aTrimLetsGoOfTheArraysThatWaitedUnused() {
        LoopArrays arrays = new LoopArrays();
        byte[] busy = arrays.take(16384);
        arrays.give(arrays.take(LoopArrays.MAX_CLASS));
        arrays.give(busy);
        arrays.trim(); // the period they were first given back in
        arrays.give(arrays.take(16384));
        arrays.trim();
        assertEquals(16384, arrays.freeBytes(), "the 16 KiB array was taken again; the 256 KiB one was not");
        arrays.trim();
        assertEquals(0, arrays.freeBytes());
        assertEquals(16384, arrays.take(16384).length);
    }
}
