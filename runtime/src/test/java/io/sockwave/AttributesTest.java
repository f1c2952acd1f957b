package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Typed session attributes: per key, per session, type-checked even through raw types. */
class AttributesTest {
    private static final AttributeKey<String> USER = AttributeKey.of("user", String.class);
    private static final AttributeKey<String> OTHER_USER = AttributeKey.of("user", String.class);
    private static final AttributeKey<AtomicInteger> COUNT = AttributeKey.of("count", AtomicInteger.class);

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void attributesAreTypedPerKeyAndPerSession() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/echo", new EchoListener())
                .build().start(); Client client = Client.create()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            Session one = client.connect(uri, new Recorder()).get(10, TimeUnit.SECONDS);
            Session two = client.connect(uri, new Recorder()).get(10, TimeUnit.SECONDS);

            assertNull(one.attribute(USER));
            assertNull(one.setAttribute(USER, "ada"));
            assertEquals("ada", one.setAttribute(USER, "grace"));
            assertEquals("grace", one.attribute(USER));
            assertNull(one.attribute(OTHER_USER), "keys are compared by identity, not by name");
            assertNull(two.attribute(USER));

            AtomicInteger count = new AtomicInteger();
            assertNull(one.setAttributeIfAbsent(COUNT, count));
            assertEquals(count, one.setAttributeIfAbsent(COUNT, new AtomicInteger(5)));

            assertEquals("grace", one.setAttribute(USER, null));
            assertNull(one.attribute(USER));

            AttributeKey raw = USER;
            assertThrows(ClassCastException.class, () -> one.setAttribute(raw, 42));
            assertEquals("user:String", USER.toString());
        }
    }

    /**
     * {@code AttributeKey.of("n", int.class)} compiles to an {@code AttributeKey<Integer>}, but its values are
     * boxed: a key checked against the primitive class itself ({@code int.class.cast} refuses every Integer) could
     * never hold a value, neither from an upgrade hook's decision nor from the session.
     */
    @Test
    void aKeyOfAPrimitiveTypeHoldsItsBoxedValuesFromTheHookAndTheSession() throws Exception {
        AttributeKey<Integer> level = AttributeKey.of("level", int.class);
        Recorder listener = new Recorder() {
            @Override
            public void onOpen(Session session) {
                session.sendText("level " + session.setAttribute(level, session.attribute(level) + 1));
                super.onOpen(session);
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/", UpgradeHook.of(request -> UpgradeDecision.accept().withAttribute(level, 41)), listener)
                .build().start();
             RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            assertEquals("level 41", raw.readFrame().text());
            assertEquals(42, listener.session().attribute(level));
        }
        assertEquals(Integer.class, level.type());
    }
}
