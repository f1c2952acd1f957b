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

    /** RFC 9110 §15.5.6: a method known but not allowed here is 405, and "MUST generate an Allow header field". */
    @Test
    void otherMethodsAreRefusedWithAllowPerRfc9110Section15_5_6() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "TRACE"}) {
            HttpResponse r = get(method, "/");
            assertEquals(405, r.status(), method);
            assertEquals("GET, HEAD, OPTIONS", r.headers().first("Allow"), method);
        }
    }

    /**
     * RFC 9110 §9.1: "An origin server that receives a request method that is unrecognized or not implemented
     * SHOULD respond with the 501 (Not Implemented) status code."
     */
    @Test
    void unknownMethodsAreNotImplementedPerRfc9110Section9_1() {
        for (String method : new String[] {"BREW", "PROPFIND", "get"}) {
            assertEquals(501, get(method, "/").status(), method);
        }
    }

    /**
     * RFC 9110 §9.3.7: OPTIONS on a resource here, or on the server as a whole ({@code *}), is answered with the
     * methods allowed (Allow) and no content; on a path with nothing there it is 404 like GET.
     */
    @Test
    void optionsListsTheAllowedMethodsPerRfc9110Section9_3_7() {
        for (String target : new String[] {"*", "/", "/chat.js"}) {
            HttpResponse r = get("OPTIONS", target);
            assertEquals(204, r.status(), target);
            assertEquals("GET, HEAD, OPTIONS", r.headers().first("Allow"), target);
            assertEquals(0, r.body().length, target);
        }
        assertEquals(404, get("OPTIONS", "/missing").status());
    }

    /**
     * A path with no page here is 404 whatever the method, so that the server answers its WebSocket routes' paths
     * itself, with their own Allow (RFC 9110 §15.5.6), not the pages'.
     */
    @Test
    void otherMethodsOnPathsWithoutAPageAreNotFound() {
        for (String method : new String[] {"POST", "DELETE", "OPTIONS"}) {
            assertEquals(404, get(method, "/chat").status(), method);
        }
    }
}
