package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockwave.protocol.extension.ExtensionOffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ExtensionHeaderParser} on random {@code Sec-WebSocket-Extensions} values (RFC 6455 §9.1 grammar): it fails
 * only with a 400 {@link HandshakeException}, and whatever it accepts prints back ({@link
 * ExtensionOffer#toHeaderValue()}) to a value that parses to the same offers.
 */
class ExtensionHeaderParserFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void parsesOrRefusesWith400(FuzzedDataProvider data) {
        List<String> values = new ArrayList<>();
        int n = data.consumeInt(1, 4);
        for (int i = 0; i < n; i++) {
            values.add(i == n - 1 ? data.consumeRemainingAsString() : data.consumeString(256));
        }
        List<ExtensionOffer> offers;
        try {
            offers = ExtensionHeaderParser.parse(values);
        } catch (HandshakeException e) {
            assertEquals(400, e.status(), e.getMessage());
            return;
        }
        List<String> printed = new ArrayList<>();
        for (ExtensionOffer offer : offers) {
            printed.add(offer.toHeaderValue());
        }
        assertEquals(offers, ExtensionHeaderParser.parse(printed), "printed as " + printed);
    }
}
