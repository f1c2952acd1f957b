package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpRequest;
import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StaticSiteTest {
    private final StaticSite site = new StaticSite();

    private HttpResponse get(String method, String target) {
        return site.handle(new HttpRequest(method, target, "HTTP/1.1", new HttpHeaders().add("Host", "x")));
    }

    @Test
    void servesThePageScriptAndStyleWithTheirTypes() {
        HttpResponse page = get("GET", "/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.headers().first("Content-Type"));
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<script src=\"chat.js\""));
        assertEquals("text/javascript; charset=utf-8", get("GET", "/chat.js").headers().first("Content-Type"));
        assertEquals("text/css; charset=utf-8", get("GET", "/chat.css").headers().first("Content-Type"));
        assertEquals(200, get("GET", "/?name=alice").status(), "the query does not change the path");
    }

    /** The page declares its icon, and the path browsers try without a declaration serves it too: no 404 logged. */
    @Test
    void theIconIsDeclaredAndServed() {
        assertTrue(new String(get("GET", "/").body(), StandardCharsets.UTF_8)
                .contains("<link rel=\"icon\" href=\"favicon.svg\""));
        for (String path : new String[] {"/favicon.svg", "/favicon.ico"}) {
            HttpResponse icon = get("GET", path);
            assertEquals(200, icon.status(), path);
            assertEquals("image/svg+xml", icon.headers().first("Content-Type"), path);
            assertTrue(new String(icon.body(), StandardCharsets.UTF_8).startsWith("<svg"), path);
        }
    }

    @Test
    void everyPageForbidsLoadingFromElsewhere() {
        HttpResponse page = get("GET", "/");
        assertEquals(StaticSite.CONTENT_SECURITY_POLICY, page.headers().first("Content-Security-Policy"));
        assertTrue(StaticSite.CONTENT_SECURITY_POLICY.startsWith("default-src 'none'"));
        assertEquals("nosniff", page.headers().first("X-Content-Type-Options"));
        for (String path : new String[] {"/", "/chat.js", "/chat.css"}) {
            String body = new String(get("GET", path).body(), StandardCharsets.UTF_8);
            assertFalse(Pattern.compile("(https?:)?//[a-z]").matcher(body.replaceAll("//.*", "")).find(),
                    path + " refers to another host");
        }
    }

    @Test
    void scriptPutsUserTextInThePageAsTextOnly() {
        String script = new String(get("GET", "/chat.js").body(), StandardCharsets.UTF_8);
        assertFalse(script.contains("innerHTML"));
        assertFalse(script.contains("insertAdjacentHTML"));
        assertFalse(script.contains("document.write"));
        assertTrue(script.contains("what.textContent = text"));
    }

    @Test
    void headAnswersWithTheLengthAndNoBody() {
        HttpResponse head = get("HEAD", "/");
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        assertEquals(Integer.toString(get("GET", "/").body().length), head.headers().first("Content-Length"));
    }

    @Test
    void otherPathsAreNotFound() {
        for (String path : new String[] {"/../pom.xml", "/io/sockwave/cli/web/chat.js", "/etc/passwd", "/chat"}) {
            HttpResponse r = get("GET", path);
            assertEquals(404, r.status(), path);
        }
    }

    @Test
    void otherMethodsAreRefusedWithAllow() {
        HttpResponse r = get("POST", "/");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.headers().first("Allow"));
    }
}
