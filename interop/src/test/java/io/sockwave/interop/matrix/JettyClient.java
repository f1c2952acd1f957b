package io.sockwave.interop.matrix;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** Jetty 12's WebSocket client (jetty-websocket-jetty-client), in this JVM; one Jetty client per connection. */
public final class JettyClient implements PeerClient {
    static final long MAX_MESSAGE = 32L * 1024 * 1024;
    private static final long SECONDS = 60;

    /**
     * Jetty's sendPartialText encodes each part on its own, so a surrogate pair split between parts arrives as two
     * '?' (seen in this matrix with 12.1.14); the pieces are therefore cut between code points.
     */
    static final String CODE_POINTS = "cut between code points: Jetty's sendPartialText turns a split surrogate "
            + "pair into \"??\"";

    /** Stops a Jetty component, which declares any exception. */
    static void stop(org.eclipse.jetty.util.component.LifeCycle component) throws IOException {
        try {
            component.stop();
        } catch (Exception e) {
            throw new IOException("Jetty did not stop", e);
        }
    }

    /** Sends a text message in parts, one at a time. */
    static void sendPartialText(Session session, List<String> pieces) throws Exception {
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            boolean last = i == pieces.size() - 1;
            Callback.Completable.with(c -> session.sendPartialText(piece, last, c)).get(SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        HttpClient http = new HttpClient();
        if (setup.tls() != null) {
            SslContextFactory.Client tls = new SslContextFactory.Client();
            tls.setTrustStore(setup.tls().trustStore());
            http.setSslContextFactory(tls);
        }
        WebSocketClient client = new WebSocketClient(http);
        client.setMaxTextMessageSize(MAX_MESSAGE);
        client.setMaxBinaryMessageSize(MAX_MESSAGE);
        client.setMaxFrameSize(MAX_MESSAGE);
        client.setIdleTimeout(Duration.ofSeconds(SECONDS));
        client.start();
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        request.setSubProtocols(setup.subprotocols());
        switch (setup.deflate()) {
            case NONE -> { }
            case DEFAULT -> request.addExtensions("permessage-deflate");
            case NO_CONTEXT_TAKEOVER ->
                    request.addExtensions("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
            case SMALLEST_WINDOW -> request.addExtensions("permessage-deflate; server_max_window_bits="
                    + setup.windowBits() + "; client_max_window_bits=" + setup.windowBits());
        }
        Events events = new Events();
        try {
            Session session = client.connect(events, request).get(SECONDS, TimeUnit.SECONDS);
            return new JettyLink(client, session, events);
        } catch (Exception e) {
            client.stop();
            throw e;
        }
    }

    /** Queues whole messages, pongs and the close, as Jetty delivers them. */
    public static final class Events implements Session.Listener.AutoDemanding {
        final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();

        @Override
        public void onWebSocketText(String message) {
            queue.add(Received.Message.of(message));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            callback.succeed();
            queue.add(Received.Message.of(false, bytes));
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            queue.add(new Received.Pong(StandardCharsets.UTF_8.decode(payload).toString()));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            queue.add(new Received.Closed(statusCode, reason));
            callback.succeed();
        }
    }

    private record JettyLink(WebSocketClient client, Session session, Events events) implements Link {
        @Override
        public String subprotocol() {
            String agreed = session.getUpgradeResponse().getAcceptedSubProtocol();
            return agreed == null || agreed.isEmpty() ? null : agreed;
        }

        @Override
        public String extensions() {
            String header = session.getUpgradeResponse().getHeader("Sec-WebSocket-Extensions");
            return header == null ? "" : header;
        }

        @Override
        public void send(Payload payload) throws Exception {
            if (payload.text()) {
                await(Callback.Completable.with(c -> session.sendText(payload.string(), c)));
            } else {
                await(Callback.Completable.with(c -> session.sendBinary(ByteBuffer.wrap(payload.bytes()), c)));
            }
        }

        @Override
        public String sendTextFragments(List<String> pieces) throws Exception {
            sendPartialText(session, Commands.wholeCodePoints(pieces));
            return CODE_POINTS;
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) throws Exception {
            for (int i = 0; i < pieces.size(); i++) {
                ByteBuffer piece = ByteBuffer.wrap(pieces.get(i));
                boolean last = i == pieces.size() - 1;
                await(Callback.Completable.with(c -> session.sendPartialBinary(piece, last, c)));
            }
        }

        @Override
        public void ping(String payload) throws Exception {
            ByteBuffer data = ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8));
            await(Callback.Completable.with(c -> session.sendPing(data, c)));
        }

        /**
         * Jetty sometimes fails the close frame's callback with ClosedChannelException although the frame went out:
         * the server's answering close and TCP close can reach Jetty's selector before its flusher completes the
         * callback (FrameFlusher.onClose; jetty/jetty.project#13346). Whether the close handshake happened is what
         * the scenario checks next, on both ends, so only that exception is let through here.
         */
        @Override
        public void close(int code, String reason) throws Exception {
            try {
                await(Callback.Completable.with(c -> session.close(code, reason, c)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ClosedChannelException)) {
                    throw e;
                }
            }
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            return events.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            stop(client);
        }

        private static void await(Callback.Completable sent) throws Exception {
            sent.get(SECONDS, TimeUnit.SECONDS);
        }
    }
}
