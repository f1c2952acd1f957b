package io.sockwave.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonObjectTest {
    @Test
    void writesMembersInInsertionOrder() {
        String json = new JsonObject().put("type", "message").put("count", 2).put("ok", true)
                .put("ratio", 0.5).put("nested", new JsonObject().put("a", List.of(1, "b"))).toString();
        assertEquals("{\"type\":\"message\",\"count\":2,\"ok\":true,\"ratio\":0.5,\"nested\":{\"a\":[1,\"b\"]}}", json);
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String json = new JsonObject().put("t", "a\"b\\c\nd\re\tf\u0001").toString();
        assertEquals("{\"t\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\"}", json);
    }

    @Test
    void escapesHtmlSignificantCharactersAndJavaScriptLineTerminators() {
        String json = new JsonObject().put("t", "</script><b>&\u2028\u2029").toString();
        assertEquals("{\"t\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028\\u2029\"}", json);
    }

    @Test
    void keepsOtherUnicodeAsIs() {
        assertEquals("{\"t\":\"h\u00e9 \ud83d\ude00\"}", new JsonObject().put("t", "h\u00e9 \ud83d\ude00").toString());
    }

    @Test
    void rejectsValuesJsonCannotRepresent() {
        JsonObject o = new JsonObject();
        assertThrows(IllegalArgumentException.class, () -> o.put("nan", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> o.put("inf", Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> o.put("obj", new Object()));
        assertThrows(IllegalArgumentException.class, () -> o.put("list", List.of(new Object())));
    }

    /** Issue #14: every escaped character written as \\uXXXX, as String.format wrote it before, at lower cost. */
    @Test
    void everyEscapedCharacterIsFourLowerCaseHexDigits() {
        for (char c = 0; c < 0x20; c++) {
            if (c == '\n' || c == '\r' || c == '\t') {
                continue;
            }
            assertEquals("{\"t\":\"" + String.format("\\u%04x", (int) c) + "\"}",
                    new JsonObject().put("t", String.valueOf(c)).toString());
        }
    }
}
