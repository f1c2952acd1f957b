package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.ExtensionParameter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6455 §9.1: the Sec-WebSocket-Extensions grammar, with RFC 7230 §3.2.6 tokens and quoted strings. */
class Section9_1ExtensionHeaderTest {
    private static ExtensionOffer offer(String name, ExtensionParameter... parameters) {
        return new ExtensionOffer(name, List.of(parameters));
    }

    private static ExtensionParameter param(String name, String value) {
        return new ExtensionParameter(name, value);
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                arguments(List.of("foo"), List.of(offer("foo"))),
                arguments(List.of("permessage-deflate; client_max_window_bits"),
                        List.of(offer("permessage-deflate", param("client_max_window_bits", null)))),
                arguments(List.of("permessage-deflate;server_max_window_bits=10;client_no_context_takeover"),
                        List.of(offer("permessage-deflate", param("server_max_window_bits", "10"),
                                param("client_no_context_takeover", null)))),
                // §9.1: several offers in one header, then repeated headers, are one list in order.
                arguments(List.of("foo, bar; baz=2", "qux"),
                        List.of(offer("foo"), offer("bar", param("baz", "2")), offer("qux"))),
                // OWS around ";", "," and "=".
                arguments(List.of(" foo \t;\tx = 1 ; y ,\tbar "),
                        List.of(offer("foo", param("x", "1"), param("y", null)), offer("bar"))),
                // §9.1: a quoted value equals the token it quotes; a backslash escapes the next character.
                arguments(List.of("bar; baz=\"2\""), List.of(offer("bar", param("baz", "2")))),
                arguments(List.of("bar; baz=\"1\\0\""), List.of(offer("bar", param("baz", "10")))),
                arguments(List.of("x; a=\"\\a\\b\""), List.of(offer("x", param("a", "ab")))),
                // RFC 7230 §7: empty list elements are ignored.
                arguments(List.of(", foo,, ,bar,"), List.of(offer("foo"), offer("bar"))),
                arguments(List.of(""), List.of()),
                arguments(List.of(), List.of()),
                // A repeated parameter stays visible, since some extensions must refuse it (RFC 7692 §7.1).
                arguments(List.of("foo; a=1; a=2"), List.of(offer("foo", param("a", "1"), param("a", "2")))));
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void parsesWellFormedValues(List<String> headers, List<ExtensionOffer> offers) {
        assertEquals(offers, ExtensionHeaderParser.parse(headers));
    }

    private static final String QUOTED_NOT_TOKEN =
            "a quoted parameter value must be a token once unquoted (RFC 6455 §9.1)";

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("foo bar", "expected ',' or ';' at offset 4, found 'b'"),
                arguments("foo;", "expected a parameter token at offset 4, found end of value"),
                arguments("foo; ;x", "expected a parameter token at offset 5, found ';'"),
                arguments(";foo", "expected an extension token at offset 0, found ';'"),
                arguments("foo; x=", "expected a parameter value at offset 7, found end of value"),
                arguments("foo; x==1", "expected a parameter value at offset 7, found '='"),
                arguments("foo; x=1 2", "expected ',' or ';' at offset 9, found '2'"),
                arguments("fo/o", "expected ',' or ';' at offset 2, found '/'"),
                arguments("foo; x=\"1 2\"",
                        QUOTED_NOT_TOKEN + " at offset 9, found U+0020"),
                arguments("foo; x=\"a\\\"b\"",
                        QUOTED_NOT_TOKEN + " at offset 10, found '\"'"),
                arguments("foo; x=\"\"",
                        QUOTED_NOT_TOKEN + " at offset 7, found '\"'"),
                arguments("foo; x=\"12", "unterminated quoted string at offset 7, found '\"'"),
                arguments("foo; x=\"12\\", "unterminated quoted string at offset 7, found '\"'"),
                arguments("foo; x=1\"", "expected ',' or ';' at offset 8, found '\"'"),
                arguments("caf\u00e9", "expected ',' or ';' at offset 3, found U+00E9"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedValuesWith400NamingTheOffset(String header, String problem) {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> ExtensionHeaderParser.parse(List.of("ok", header)));
        assertEquals(400, e.status());
        assertEquals("malformed Sec-WebSocket-Extensions: " + problem, e.getMessage());
    }

    @Test
    void rendersWhatItParses() {
        ExtensionOffer offer = offer("permessage-deflate", param("client_max_window_bits", null),
                param("server_max_window_bits", "10"));
        assertEquals("permessage-deflate; client_max_window_bits; server_max_window_bits=10", offer.toHeaderValue());
        assertEquals(List.of(offer), ExtensionHeaderParser.parse(List.of(offer.toHeaderValue())));
    }
}
