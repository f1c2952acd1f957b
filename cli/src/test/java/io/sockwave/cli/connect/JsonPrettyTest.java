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
}
