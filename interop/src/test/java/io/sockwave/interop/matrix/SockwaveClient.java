package io.sockwave.interop.matrix;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Listener;
import io.sockwave.Session;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Sockwave's client in the matrix, driven against a peer's server. It offers the deflate variant of the setup. */
final class SockwaveClient implements PeerClient {
    private static final long SECONDS = 60;

    private final Client client = Client.create();

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        ClientOptions.Builder options = ClientOptions.builder();
        if (!setup.subprotocols().isEmpty()) {
            options.subprotocols(setup.subprotocols().toArray(String[]::new));
        }
        PerMessageDeflate.Builder deflate = PerMessageDeflate.builder().threshold(0);
        switch (setup.deflate()) {
            case NONE -> { }
            case DEFAULT -> options.extensions(deflate.build());
            case NO_CONTEXT_TAKEOVER -> options.extensions(deflate.serverNoContextTakeover(true)
                    .clientNoContextTakeover(true).build());
            case SMALLEST_WINDOW -> options.extensions(deflate.serverMaxWindowBits(setup.windowBits())
                    .clientMaxWindowBits(setup.windowBits()).build());
        }
        if (setup.tls() != null) {
            options.sslContext(setup.tls().client());
        }
        Events events = new Events();
        Session session = client.connect(uri, options.build(), events).get(SECONDS, TimeUnit.SECONDS);
        return new SockwaveLink(session, events);
    }

    @Override
    public void close() {
        client.close();
    }

    private static final class Events implements Listener {
        final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();

        @Override
        public void onText(Session session, String text) {
            queue.add(Received.Message.of(text));
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            queue.add(Received.Message.of(false, bytes));
        }

        @Override
        public void onPong(Session session, ByteBuffer payload) {
            queue.add(new Received.Pong(StandardCharsets.UTF_8.decode(payload).toString()));
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            queue.add(new Received.Closed(code, reason));
        }
    }

    private record SockwaveLink(Session session, Events events) implements Link {
        @Override
        public String subprotocol() {
            return session.subprotocol();
        }

        @Override
        public String extensions() {
            return session.extensions().isEmpty() ? "" : session.extensions().get(0).toHeaderValue();
        }

        @Override
        public void send(Payload payload) throws Exception {
            if (payload.text()) {
                session.sendText(payload.string()).get(SECONDS, TimeUnit.SECONDS);
            } else {
                session.sendBinary(ByteBuffer.wrap(payload.bytes())).get(SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public String sendTextFragments(List<String> pieces) throws Exception {
            for (int i = 0; i < pieces.size(); i++) {
                session.sendText(pieces.get(i), i == pieces.size() - 1).get(SECONDS, TimeUnit.SECONDS);
            }
            return null;
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) throws Exception {
            for (int i = 0; i < pieces.size(); i++) {
                session.sendBinary(ByteBuffer.wrap(pieces.get(i)), i == pieces.size() - 1)
                        .get(SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public void ping(String payload) throws Exception {
            session.ping(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))).get(SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close(int code, String reason) throws Exception {
            session.close(code, reason).get(SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            return events.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            if (session.isOpen()) {
                session.close();
            }
        }
    }
}
