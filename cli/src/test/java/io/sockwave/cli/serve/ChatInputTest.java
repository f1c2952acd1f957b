package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChatInputTest {
    @Test
    void plainTextIsTheMessage() {
        assertEquals(new ChatInput("", "hello"), ChatInput.parse("hello"));
        assertEquals(new ChatInput("", ""), ChatInput.parse(""));
    }

    @Test
    void anObjectWithTextAndIdCarriesTheIdForTheDedupe() {
        assertEquals(new ChatInput("m-1", "hi"), ChatInput.parse("{\"id\":\"m-1\",\"text\":\"hi\"}"));
        assertEquals(new ChatInput("", "hi"), ChatInput.parse(" {\"text\" : \"hi\"} ".strip()));
        assertEquals(new ChatInput("x", "a\"b\\c\nd\u00e9/"),
                ChatInput.parse("{\"text\":\"a\\\"b\\\\c\\nd\\u00E9\\/\",\"id\":\"x\"}"));
    }

    @Test
    void otherJsonOrBrokenJsonIsPlainText() {
        for (String text : new String[] {"{\"text\":1}", "{\"text\":\"a\",\"other\":\"b\"}", "{\"id\":\"a\"}",
            "{\"text\":\"a\"} tail", "{\"text\":\"a\"", "{\"text\":\"\\u12g4\"}", "{\"text\":\"\\u-001\"}",
            "{\"text\":\"a\",\"id\":\"" + "i".repeat(65) + "\"}", "{\"text\":\"a\tb\"}", "{}"}) {
            assertEquals(new ChatInput("", text), ChatInput.parse(text), text);
        }
    }
}
