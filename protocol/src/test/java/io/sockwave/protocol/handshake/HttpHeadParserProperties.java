package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.Wire.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the RFC 7230 §3 head parser: chunking never changes the result, what it reads is what was written,
 * and on any input it ends in a complete head, a wait for more bytes, or a precise refusal, within its byte
 * limit and with work linear in the bytes read.
 */
class HttpHeadParserProperties {
    private static final String TCHARS =
            "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** A request head as generated: the parser must give back exactly this. */
    record Head(String method, String target, List<Field> fields) {
        String render() {
            StringBuilder out = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
            for (Field field : fields) {
                out.append(field.name).append(':').append(field.leading).append(field.value).append(field.trailing)
                        .append("\r\n");
            }
            return out.append("\r\n").toString();
        }

        HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            fields.forEach(f -> headers.add(f.name, f.value));
            return headers;
        }
    }

    /** A field with the optional whitespace around its value that the parser must drop. */
    record Field(String name, String value, String leading, String trailing) {
    }

    @Provide
    Arbitrary<Head> heads() {
        Arbitrary<String> tokens = Arbitraries.strings().withChars(TCHARS).ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> targets = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').withCharRange('\u0080', '\u00ff')
                .withChars(' ', '\t').ofMaxLength(40).map(HttpHeadParserProperties::stripOws);
        Arbitrary<String> ows = Arbitraries.strings().withChars(' ', '\t').ofMaxLength(3);
        Arbitrary<Field> fields = Combinators.combine(tokens, values, ows, ows).as(Field::new);
        return Combinators.combine(tokens, targets, fields.list().ofMaxSize(20)).as(Head::new);
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(1, 64).list().ofMinSize(1).ofMaxSize(20);
    }

    private static String stripOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Feeds the bytes in chunks of the given sizes, cycling; returns the bytes consumed, or -1 if incomplete. */
    private static int feed(HttpHeadParser parser, byte[] bytes, List<Integer> sizes) {
        int at = 0;
        for (int i = 0; at < bytes.length; i++) {
            ByteBuffer chunk = ByteBuffer.wrap(bytes, at, Math.min(sizes.get(i % sizes.size()), bytes.length - at));
            boolean complete = parser.parse(chunk);
            at = chunk.position();
            if (complete) {
                return at;
            }
        }
        return -1;
    }

    @Property(tries = 300)
    void readsBackWhatWasWrittenWhateverTheChunking(@ForAll("heads") Head head,
            @ForAll("chunkSizes") List<Integer> sizes) {
        byte[] bytes = bytes(head.render());
        HttpHeadParser whole = HttpHeadParser.requests(Limits.DEFAULTS);
        assertTrue(whole.parse(ByteBuffer.wrap(bytes)));
        HttpHeadParser chunked = HttpHeadParser.requests(Limits.DEFAULTS);
        assertEquals(bytes.length, feed(chunked, bytes, sizes));
        HttpRequest expected = new HttpRequest(head.method(), head.target(), "HTTP/1.1", head.headers());
        assertEquals(expected, whole.request());
        assertEquals(expected, chunked.request());
        assertEquals(whole.work(), chunked.work());
        assertTrue(chunked.work() <= 5L * bytes.length, chunked.work() + " steps for " + bytes.length + " bytes");
    }

    @Provide
    Arbitrary<String> headLikeNoise() {
        return Arbitraries.of("GET", "POST", " ", "  ", "/", "/chat?x=1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.",
                "\r\n", "\r\n", "\r\n\r\n", "\r", "\n", "Host", "Upgrade", ":", ": ", "websocket", "a", "\t", "\u0000",
                "\u007f", "\u00e9", "(", ",", ";", "\"").list().ofMaxSize(120).map(parts -> String.join("", parts));
    }

    @Property(tries = 500)
    void endsCompleteOrWaitingOrRefusedPreciselyWithinItsLimit(@ForAll("headLikeNoise") String noise,
            @ForAll("chunkSizes") List<Integer> sizes) {
        int limit = 200;
        byte[] bytes = bytes(noise);
        HttpHeadParser parser = HttpHeadParser.requests(Limits.DEFAULTS.withMaxHandshakeBytes(limit)
                .withMaxHandshakeHeaders(8));
        int at = 0;
        try {
            for (int i = 0; at < bytes.length; i++) {
                ByteBuffer chunk = ByteBuffer.wrap(bytes, at,
                        Math.min(sizes.get(i % sizes.size()), bytes.length - at));
                try {
                    boolean complete = parser.parse(chunk);
                    if (complete) {
                        assertTrue(chunk.position() <= limit);
                        parser.request();
                        return;
                    }
                } finally {
                    at = chunk.position();
                }
            }
        } catch (HandshakeException e) {
            assertTrue(Set.of(400, 414, 431, 505).contains(e.status()), e.status() + " " + e.getMessage());
            assertTrue(at <= limit + 1, "read " + at + " bytes with a limit of " + limit);
            assertTrue(e.status() != 414 || at == limit + 1, e.getMessage());
            assertTrue(e.status() != 431 || at == limit + 1 || e.getMessage().startsWith("more than 8 header"),
                    e.getMessage());
        } finally {
            assertTrue(parser.work() <= 5L * Math.max(at, 1), parser.work() + " steps for " + at + " bytes");
        }
    }
}
