package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.ExtensionParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * RFC 6455 §9.1 round trips: whatever offers are written, with whatever optional whitespace, quoting, escaping
 * and spread over however many header fields, the parser reads back the same offers.
 */
class Section9_1ExtensionHeaderProperties {
    private static final String TCHARS =
            "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Provide
    Arbitrary<List<ExtensionOffer>> offers() {
        Arbitrary<String> tokens = Arbitraries.strings().withChars(TCHARS).ofMinLength(1).ofMaxLength(10);
        Arbitrary<ExtensionParameter> parameters = Combinators.combine(tokens, tokens.injectNull(0.4))
                .as(ExtensionParameter::new);
        Arbitrary<ExtensionOffer> offer = Combinators.combine(tokens, parameters.list().ofMaxSize(4))
                .as(ExtensionOffer::new);
        return offer.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 500)
    void toHeaderValueRoundTrips(@ForAll("offers") List<ExtensionOffer> offers) {
        List<String> elements = new ArrayList<>();
        offers.forEach(o -> elements.add(o.toHeaderValue()));
        assertEquals(offers, ExtensionHeaderParser.parse(List.of(String.join(", ", elements))));
    }

    @Property(tries = 500)
    void anyLegalSpellingReadsBackTheSameOffers(@ForAll("offers") List<ExtensionOffer> offers,
            @ForAll Random random) {
        List<String> headers = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (ExtensionOffer offer : offers) {
            if (header.length() > 0 && random.nextInt(3) == 0) {
                headers.add(header.toString());
                header.setLength(0);
            }
            if (header.length() > 0) {
                header.append(ows(random)).append(',').append(ows(random));
            }
            if (random.nextInt(8) == 0) {
                header.append(',').append(ows(random));
            }
            header.append(spell(offer, random));
        }
        headers.add(header.append(ows(random)).toString());
        assertEquals(offers, ExtensionHeaderParser.parse(headers), String.join(" | ", headers));
    }

    private static String spell(ExtensionOffer offer, Random random) {
        StringBuilder out = new StringBuilder(offer.name());
        for (ExtensionParameter parameter : offer.parameters()) {
            out.append(ows(random)).append(';').append(ows(random)).append(parameter.name());
            if (parameter.value() != null) {
                out.append(ows(random)).append('=').append(ows(random));
                out.append(random.nextBoolean() ? parameter.value() : quoted(parameter.value(), random));
            }
        }
        return out.toString();
    }

    /** RFC 7230 §3.2.6: any character may be escaped with a backslash, and must be for '"' and '\'. */
    private static String quoted(String token, Random random) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : token.toCharArray()) {
            if (random.nextInt(4) == 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private static String ows(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> " ";
            case 1 -> "\t";
            case 2 -> " \t ";
            default -> "";
        };
    }
}
