package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route patterns, their precedence rule, path and query parameters and session ids, through real sockets: each
 * route's listener answers the opening with one text frame naming the route and what the session saw.
 */
class RoutingTest {
    private Server server;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    /** Names its route, then the session's path parameters and query parameters. */
    private Listener tagged(String tag) {
        return new Listener() {
            @Override
            public void onOpen(Session session) {
                ids.add(session.id());
                session.sendText(tag + " " + new java.util.TreeMap<>(session.pathParams()) + " "
                        + session.queryParams());
            }
        };
    }

    @BeforeEach
    void start() throws Exception {
        // Added least specific first, so that the winner is decided by the rule, not by the order.
        server = Server.builder()
                .host("127.0.0.1")
                .eventLoops(1)
                .route("/*", tagged("root*"))
                .route("/static/*", tagged("static*"))
                .route("/static/js/*", tagged("js*"))
                .route("/{y}/b", tagged("yb"))
                .route("/a/{x}", tagged("ax"))
                .route("/rooms/{name}", tagged("room"))
                .route("/rooms/lobby", tagged("lobby"))
                .route("/rooms/{name}/members/{member}", tagged("member"))
                .route("/chat", tagged("chat"))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** @return the text of the first frame on a session opened at {@code target} */
    private String open(String target) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade(target, ""));
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            return raw.readFrame().text();
        }
    }

    private String refused(String target) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade(target, ""));
            return raw.readUntilEof();
        }
    }

    @Test
    void exactPathWinsOverEveryPattern() throws Exception {
        assertEquals("chat {} {}", open("/chat"));
        assertEquals("lobby {} {}", open("/rooms/lobby"));
    }

    @Test
    void parameterMatchesOneSegmentAndIsPercentDecoded() throws Exception {
        assertEquals("room {name=kitchen} {}", open("/rooms/kitchen"));
        assertEquals("room {name=caf\u00e9 & bar} {}", open("/rooms/caf%C3%A9%20&%20bar"));
        // An encoded slash stays inside its segment: cutting comes before decoding.
        assertEquals("room {name=a/b} {}", open("/rooms/a%2Fb"));
        assertEquals("member {member=bob, name=x} {}", open("/rooms/x/members/bob"));
    }

    @Test
    void literalWinsAtTheFirstSegmentWhereTwoPatternsDiffer() throws Exception {
        assertEquals("ax {x=b} {}", open("/a/b"));
        assertEquals("yb {y=c} {}", open("/c/b"));
    }

    @Test
    void longerPrefixWinsAndTheRestOfThePathIsAParameter() throws Exception {
        assertEquals("js* {*=app/main.js} {}", open("/static/js/app/main.js"));
        assertEquals("static* {*=css/site.css} {}", open("/static/css/site.css"));
        assertEquals("static* {*=} {}", open("/static"));
        assertEquals("root* {*=rooms} {}", open("/rooms"));
        assertEquals("root* {*=rooms/} {}", open("/rooms/"), "an empty segment is no value for {name}");
    }

    @Test
    void precedenceDoesNotDependOnTheOrderRoutesWereAdded() throws Exception {
        server.close();
        server = Server.builder()
                .host("127.0.0.1")
                .eventLoops(1)
                .route("/chat", tagged("chat"))
                .route("/rooms/lobby", tagged("lobby"))
                .route("/rooms/{name}", tagged("room"))
                .route("/a/{x}", tagged("ax"))
                .route("/{y}/b", tagged("yb"))
                .route("/static/js/*", tagged("js*"))
                .route("/static/*", tagged("static*"))
                .route("/*", tagged("root*"))
                .build()
                .start();
        assertEquals("lobby {} {}", open("/rooms/lobby"));
        assertEquals("room {name=kitchen} {}", open("/rooms/kitchen"));
        assertEquals("ax {x=b} {}", open("/a/b"));
        assertEquals("js* {*=app.js} {}", open("/static/js/app.js"));
        assertEquals("root* {*=other} {}", open("/other"));
    }

    @Test
    void queryParametersAreDecodedAndMayRepeat() throws Exception {
        assertEquals("chat {} {token=[a b+c\u00e9], tag=[x, y, ], flag=[]}",
                open("/chat?token=a+b%2Bc%C3%A9&tag=x&&tag=y&flag&tag="));
    }

    @Test
    void fallbackServesWhatNoPatternMatchesAndWithoutItThePathGets404() throws Exception {
        try (Server exactOnly = Server.builder().host("127.0.0.1").eventLoops(1).route("/chat", tagged("chat"))
                .build().start()) {
            try (RawSocket raw = RawSocket.connect(exactOnly.port())) {
                raw.write(RawSocket.upgrade("/other", ""));
                assertTrue(raw.readUntilEof().startsWith("HTTP/1.1 404 "));
            }
        }
        try (Server withFallback = Server.builder().host("127.0.0.1").eventLoops(1).route("/chat", tagged("chat"))
                .fallback(tagged("fallback")).build().start()) {
            try (RawSocket raw = RawSocket.connect(withFallback.port())) {
                raw.write(RawSocket.upgrade("/other/path?q=1", ""));
                assertTrue(raw.readHead().startsWith("HTTP/1.1 101 "));
                assertEquals("fallback {} {q=[1]}", raw.readFrame().text());
            }
        }
    }

    /** RFC 3986 §2.1: a malformed escape, or escaped bytes that are not UTF-8, get 400 rather than a guess. */
    @Test
    void pathOrQueryThatIsNotPercentEncodedUtf8Gets400() throws Exception {
        assertTrue(refused("/rooms/%zz").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(refused("/rooms/%C3").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        String response = refused("/chat?token=%FF");
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
        assertTrue(response.contains("not UTF-8"), response);
    }

    /**
     * RFC 3986 §3.3 and §5.2.4: a {@code .} or {@code ..} segment, sent as is or percent-encoded, names a path
     * other than the one it appears in ({@code /static/../chat} is {@code /chat}), so it must not match a route
     * as if it were a name under it: {@code /static/*} promises "everything under /static", and a rest of
     * {@code ../../etc} would hand the application a path outside it. Likewise an encoded slash in a prefix
     * route's rest would decode into a segment boundary that was never there. Both get 400.
     */
    @Test
    void dotSegmentsAndEncodedSlashesInThePrefixRestGet400PerRfc3986Section3_3() throws Exception {
        for (String target : new String[] {"/static/../chat", "/static/%2E%2E/x", "/static/%2e", "/rooms/..",
                "/rooms/.", "/rooms/%2E%2E", "/./chat", "/static/..%2F..%2Fetc", "/static/css%2Fsite.css"}) {
            String response = refused(target);
            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), target + " -> " + response);
        }
        // A dot inside a segment is an ordinary character, and an encoded slash stays in a {name} parameter.
        assertEquals("static* {*=a/..b/.c/d.} {}", open("/static/a/..b/.c/d."));
        assertEquals("room {name=a/b} {}", open("/rooms/a%2Fb"));
    }

    /**
     * Matching is exact: a trailing slash is an empty last segment (RFC 3986 §3.3), which only a {@code *} pattern
     * takes; case counts; and any UTF-8 decodes as it is, control characters included.
     */
    @Test
    void trailingSlashCaseAndControlCharactersAreMatchedAsTheyAre() throws Exception {
        assertTrue(refusedWithout("/chat/").startsWith("HTTP/1.1 404 "));
        assertTrue(refusedWithout("/CHAT").startsWith("HTTP/1.1 404 "));
        assertTrue(refusedWithout("/rooms/").startsWith("HTTP/1.1 404 "));
        assertEquals("static* {*=} {}", open("/static/"));
        assertEquals("room {name=a\0b\nc} {}", open("/rooms/a%00b%0Ac"));
    }

    /**
     * The first failing check decides the answer, in the order {@link Server} gives: a path that does not decode
     * (400) before routing, no route (404) before the handshake's own checks (RFC 6455 §4.2.1: 405 for the method
     * before 426 for the version).
     */
    @Test
    void answersFollowTheOrderOfTheChecks() throws Exception {
        String version13 = "Sec-WebSocket-Version: 13\r\n";
        String version8 = "Sec-WebSocket-Version: 8\r\n";
        try (Server exactOnly = Server.builder().host("127.0.0.1").eventLoops(1).route("/chat", tagged("chat"))
                .build().start()) {
            String unroutedWrongVersion = RawSocket.upgrade("/nothing/here", "").replace(version13, version8);
            assertTrue(RawSocket.exchange(exactOnly.port(), unroutedWrongVersion).startsWith("HTTP/1.1 404 "));
            String undecodableWrongVersion = RawSocket.upgrade("/nothing/%zz", "").replace(version13, version8);
            assertTrue(RawSocket.exchange(exactOnly.port(), undecodableWrongVersion).startsWith("HTTP/1.1 400 "));
            String postWrongVersion = "POST" + RawSocket.upgrade("/chat", "").substring("GET".length())
                    .replace(version13, version8);
            assertTrue(RawSocket.exchange(exactOnly.port(), postWrongVersion).startsWith("HTTP/1.1 405 "));
            String routedWrongVersion = RawSocket.upgrade("/chat", "").replace(version13, version8);
            assertTrue(RawSocket.exchange(exactOnly.port(), routedWrongVersion).startsWith("HTTP/1.1 426 "));
        }
    }

    private String refusedWithout(String target) throws Exception {
        try (Server exactOnly = Server.builder().host("127.0.0.1").eventLoops(1).route("/chat", tagged("chat"))
                .route("/rooms/{name}", tagged("room")).build().start()) {
            return RawSocket.exchange(exactOnly.port(), RawSocket.upgrade(target, ""));
        }
    }

    /** RFC 3986 §2.4: a path or query is decoded exactly once, so an escaped percent sign stays a percent sign. */
    @Test
    void pathAndQueryAreDecodedExactlyOnce() throws Exception {
        assertEquals("room {name=a%2Fb} {}", open("/rooms/a%252Fb"));
        assertEquals("static* {*=%2E%2E} {}", open("/static/%252E%252E"));
        assertEquals("chat {} {q=[%41+]}", open("/chat?q=%2541%2B"));
    }

    @Test
    void sessionIdsAreUniqueAndSayWhichServerTheyBelongTo() throws Exception {
        for (int i = 0; i < 20; i++) {
            open("/chat");
        }
        assertEquals(20, ids.size());
        for (String id : ids) {
            assertTrue(id.matches("s\\d+-\\d+"), id);
        }
        Client client = Client.create();
        try {
            Session session = client.connect(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/chat"),
                    new Recorder()).get(10, TimeUnit.SECONDS);
            assertTrue(session.id().matches("c\\d+-\\d+"), session.id());
            assertEquals(Map.of(), session.pathParams());
            assertEquals(null, session.pathParam("name"));
            assertNotEquals(session.id(), ids.iterator().next());
        } finally {
            client.close();
        }
    }

    @Test
    void unparsablePatternsFailRouteWithTheReason() {
        Server.Builder builder = Server.builder();
        Listener listener = new Listener() { };
        Map<String, String> reasons = Map.of(
                "chat", "starts with /",
                "/rooms/{name", "neither a literal nor a whole {name}",
                "/rooms/{na-me}", "letters, digits and _",
                "/a/{x}/{x}", "appears twice",
                "/a//b", "empty segment",
                "/a/", "empty segment",
                "/a/*/b", "* may only be the whole last segment",
                "/a%20b", "holds '%'",
                "/a?b", "holds '?'");
        reasons.forEach((pattern, reason) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> builder.route(pattern, listener), pattern);
            assertTrue(e.getMessage().contains(reason) && e.getMessage().contains(pattern), e.getMessage());
        });
        // RFC 3986 §5.2.4: no request path keeps a dot segment for such a pattern to match.
        for (String pattern : new String[] {"/static/../chat", "/a/./b", "/.."}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> builder.route(pattern, listener), pattern);
            assertTrue(e.getMessage().contains("dot segment") && e.getMessage().contains(pattern), e.getMessage());
        }
        builder.route("/rooms/{name}", listener);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> builder.route("/rooms/{id}", listener));
        assertTrue(twice.getMessage().contains("matches the same paths as \"/rooms/{name}\""), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.route("/rooms/{name}", listener));
    }
}
