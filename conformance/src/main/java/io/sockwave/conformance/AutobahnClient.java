package io.sockwave.conformance;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Listener;
import io.sockwave.Session;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives Autobahn|Testsuite's fuzzing server ({@code wstest -m fuzzingserver}) with Sockwave's client, every case
 * from one JVM: asks {@code /getCaseCount}, then runs {@code /runCase?case=N} for each N as an echo client
 * offering permessage-deflate; the launcher asks for {@code /updateReports} afterwards. One JVM for all cases keeps
 * the run to the suite's own pace instead of a JVM start per case.
 *
 * <p>Usage: {@code AutobahnClient ws://127.0.0.1:PORT AGENT}. Exits 0 when every case ran to its close, 1 when a
 * case could not connect or did not end within {@value #CASE_SECONDS} seconds (the verdicts themselves are in the
 * suite's report).
 */
public final class AutobahnClient {
    /** The slowest cases (9.*: up to 16 MiB messages, thousands of frames) end within a minute on a busy machine. */
    static final int CASE_SECONDS = 120;

    private AutobahnClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: AutobahnClient ws://127.0.0.1:PORT AGENT");
            System.exit(2);
        }
        String base = args[0].replaceAll("/+$", "");
        String agent = URLEncoder.encode(args[1], StandardCharsets.UTF_8);
        // The suite's largest message is 16 MiB and it waits for each echo: room for a few of them is enough.
        ClientOptions options = ClientOptions.builder().extensions(PerMessageDeflate.defaults())
                .outboundBuffer(16 << 20, 32 << 20, 64 << 20).build();
        int problems = 0;
        try (Client client = Client.create()) {
            int count = Integer.parseInt(firstText(client, URI.create(base + "/getCaseCount")).trim());
            System.out.println("autobahn-client: " + count + " cases");
            for (int n = 1; n <= count; n++) {
                URI uri = URI.create(base + "/runCase?case=" + n + "&agent=" + agent);
                Echo echo = new Echo();
                try {
                    client.connect(uri, options, echo).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    problems++;
                    System.out.println("case " + n + ": connect failed: " + e);
                    continue;
                }
                try {
                    echo.closed.get(CASE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    problems++;
                    System.out.println("case " + n + ": no close within " + CASE_SECONDS + " s");
                }
                if (n % 50 == 0) {
                    System.out.println("autobahn-client: " + n + " of " + count);
                }
            }
        }
        System.out.println("autobahn-client: done, " + problems + " case(s) without a close");
        System.exit(problems == 0 ? 0 : 1);
    }

    /** Opens {@code uri}, and returns the first text message, or "" when the server closes without one. */
    private static String firstText(Client client, URI uri) throws Exception {
        CompletableFuture<String> text = new CompletableFuture<>();
        client.connect(uri, new Listener() {
            @Override
            public void onText(Session session, String message) {
                text.complete(message);
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                text.complete("");
            }

            @Override
            public void onError(Session session, Throwable error) {
                text.completeExceptionally(error);
            }
        }).get(30, TimeUnit.SECONDS);
        return text.get(600, TimeUnit.SECONDS);
    }

    /** Sends every message back unchanged. */
    private static final class Echo implements Listener {
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void onText(Session session, String text) {
            session.sendText(text);
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            session.sendBinary(data);
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            closed.complete(null);
        }
    }
}
