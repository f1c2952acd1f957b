package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What messages show of a URL: everything but the password of its user information. */
class RedactedUrlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ws://alice:s3cret@example.test/chat | ws://alice:***@example.test/chat",
        "http://alice:s3:cr@t@proxy.test:3128 | http://alice:***@proxy.test:3128",
        "alice:s3cret@proxy.test | alice:***@proxy.test",
        "ws://alice@example.test/a:b@c | ws://alice@example.test/a:b@c",
        "ws://example.test:8080/?user=a:b@c | ws://example.test:8080/?user=a:b@c",
        "ws://alice:@example.test/ | ws://alice:***@example.test/"})
    void thePasswordOfTheUserInformationIsReplaced(String url, String shown) {
        assertEquals(shown, RedactedUrl.of(url));
    }
}
