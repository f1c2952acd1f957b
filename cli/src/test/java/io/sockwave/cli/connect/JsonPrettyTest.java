package io.sockwave.cli.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code connect --json}'s indentation: strings untouched, empty containers on one line, non-JSON unchanged. */
class JsonPrettyTest {
    @Test
    void objectsAndArraysAreIndentedAndStringsKeptWhole() {
        assertEquals("{\n  \"a\": [\n    1,\n    \"x,{y}\\\"]\"\n  ],\n  \"b\": {},\n  \"c\": []\n}",
                JsonPretty.format("{\"a\":[1, \"x,{y}\\\"]\"],\"b\":{ },\"c\":[]}"));
    }

    @Test
    void textThatIsNotAnObjectOrArrayOrDoesNotBalanceIsUnchanged() {
        assertEquals("hello {", JsonPretty.format("hello {"));
        assertEquals("{\"a\":[1}", JsonPretty.format("{\"a\":[1}"));
        assertEquals("{\"open", JsonPretty.format("{\"open"));
        assertEquals("]", JsonPretty.format("]"));
    }

    /**
     * Indentation grows with depth, so a server's message of 10,000 brackets nested 5,000 deep would print as 50
     * million characters, and one of a few hundred kilobytes would exhaust the heap: such text prints as it came.
     */
    @Test
    void deepNestingThatWouldMultiplyTheTextIsUnchanged() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        assertEquals(deep.length(), JsonPretty.format(deep).length(), "deep nesting was indented");
        String commas = "[".repeat(64) + ",".repeat(100_000) + "]".repeat(64);
        assertEquals(commas.length(), JsonPretty.format(commas).length(), "a run of commas was indented");
    }

    @Test
    void aSmallMessageIsIndentedHoweverDeep() {
        String indented = JsonPretty.format("[".repeat(40) + "1" + "]".repeat(40));
        assertEquals(81, indented.lines().count());
        assertEquals("  ".repeat(40) + "1", indented.lines().skip(40).findFirst().orElseThrow());
    }
}
