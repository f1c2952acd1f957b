package io.sockwave.protocol.handshake;

import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.ExtensionParameter;
import io.sockwave.protocol.extension.HttpTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1) with the token and quoted-string rules of RFC 7230 §3.2.6:
 * <pre>
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 * Optional whitespace is allowed around {@code ;}, {@code ,} and {@code =}. A header may hold several elements and
 * the header may be repeated, which is the same as one header listing them all (RFC 7230 §3.2.2). Empty list
 * elements are skipped, as RFC 7230 §7 asks of recipients. A quoted value must be a token once unquoted, as §9.1
 * requires. One pass over each character.
 */
public final class ExtensionHeaderParser {
    private final String text;
    private int pos;

    private ExtensionHeaderParser(String text) {
        this.text = text;
    }

    /**
     * @param headerValues the values of every {@code Sec-WebSocket-Extensions} field, in order
     * @return the elements in order, with their parameters in order; empty when the values list none
     * @throws HandshakeException with status 400 and a message naming the offending offset when a value does not
     *     follow the grammar
     */
    public static List<ExtensionOffer> parse(List<String> headerValues) {
        if (headerValues.isEmpty()) {
            return List.of();
        }
        List<ExtensionOffer> offers = new ArrayList<>();
        for (String value : headerValues) {
            new ExtensionHeaderParser(value).list(offers);
        }
        return offers;
    }

    private void list(List<ExtensionOffer> into) {
        while (true) {
            // Empty elements ("a, , b" or a leading comma) carry nothing and are allowed by RFC 7230 §7.
            skipOws();
            while (peek(',')) {
                pos++;
                skipOws();
            }
            if (pos == text.length()) {
                return;
            }
            into.add(extension());
            skipOws();
            if (pos == text.length()) {
                return;
            }
            if (!peek(',')) {
                throw error("expected ',' or ';'");
            }
        }
    }

    private ExtensionOffer extension() {
        String name = token("an extension token");
        List<ExtensionParameter> parameters = new ArrayList<>(2);
        skipOws();
        while (peek(';')) {
            pos++;
            skipOws();
            String parameter = token("a parameter token");
            skipOws();
            String value = null;
            if (peek('=')) {
                pos++;
                skipOws();
                value = peek('"') ? quotedToken() : token("a parameter value");
                skipOws();
            }
            parameters.add(new ExtensionParameter(parameter, value));
        }
        return new ExtensionOffer(name, parameters);
    }

    private String token(String what) {
        int start = pos;
        while (pos < text.length() && HttpTokens.isTokenChar(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return text.substring(start, pos);
    }

    /** RFC 7230 §3.2.6 quoted-string, whose unquoted content §9.1 restricts to a token. */
    private String quotedToken() {
        int open = pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos == text.length()) {
                pos = open;
                throw error("unterminated quoted string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (pos == text.length()) {
                    pos = open;
                    throw error("unterminated quoted string");
                }
                c = text.charAt(pos++);
            }
            if (!HttpTokens.isTokenChar(c)) {
                pos--;
                throw error("a quoted parameter value must be a token once unquoted (RFC 6455 §9.1)");
            }
            value.append(c);
        }
        if (value.length() == 0) {
            pos = open;
            throw error("a quoted parameter value must be a token once unquoted (RFC 6455 §9.1)");
        }
        return value.toString();
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipOws() {
        while (pos < text.length() && HttpHeaders.isOws(text.charAt(pos))) {
            pos++;
        }
    }

    private HandshakeException error(String expectation) {
        String found;
        if (pos == text.length()) {
            found = "end of value";
        } else {
            char c = text.charAt(pos);
            found = c > ' ' && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }
        return new HandshakeException(400, "malformed Sec-WebSocket-Extensions: " + expectation + " at offset " + pos
                + ", found " + found);
    }
}
