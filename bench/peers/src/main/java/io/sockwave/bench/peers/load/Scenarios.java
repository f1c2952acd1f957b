package io.sockwave.bench.peers.load;

import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark's scenarios, by id. {@code run-peers.sh} runs them in this order, except that the handshakes come last
 * in a generator of their own, and the fixed rate runs apart with every server side by side.
 */
public final class Scenarios {
    /** 32-byte text echo, 1 message in flight per connection. */
    public static final String ECHO_32_W1 = "echo32x1";
    /** 32-byte text echo, 16 messages in flight per connection. */
    public static final String ECHO_32_W16 = "echo32x16";
    /** 16 KiB binary echo, 1 message in flight per connection. */
    public static final String ECHO_16K = "echo16k";
    /** 32-byte text echo at a fixed total rate, latency from the send; several servers may take turns. */
    public static final String FIXED_RATE = "rate10k";
    /** Connect, upgrade, closing handshake, in a loop. */
    public static final String HANDSHAKE = "handshake";
    /** Resident memory per idle connection; needs a fresh server. */
    public static final String IDLE_MEMORY = "idle10k";
    /** One 64-byte message to every connection on /broadcast. */
    public static final String BROADCAST = "broadcast";

    /** A chat-like JSON stream echoed with permessage-deflate, context takeover on; 16 in flight. */
    public static final String DEFLATE_CHAT = "deflate-chat";
    /** The same without context takeover in either direction. */
    public static final String DEFLATE_CHAT_NCT = "deflate-chat-nct";
    /** Resident memory per idle connection with permessage-deflate (takeover on) after one message; fresh server. */
    public static final String IDLE_DEFLATE = "idle-deflate";
    /** The same without context takeover. */
    public static final String IDLE_DEFLATE_NCT = "idle-deflate-nct";

    /** The most connections the scale scenario opens from 127.0.0.1 alone, within the default ephemeral port range. */
    public static final int SCALE_ONE_SOURCE = 25_000;

    /** Every scenario id that {@link #run} runs but the wss:// ones. */
    public static final List<String> ALL = List.of(IDLE_MEMORY, ECHO_32_W1, ECHO_32_W16, ECHO_16K, FIXED_RATE,
            HANDSHAKE, BROADCAST, IDLE_DEFLATE, IDLE_DEFLATE_NCT, DEFLATE_CHAT, DEFLATE_CHAT_NCT);
    /**
     * The scenarios that offer permessage-deflate, opt-in: a server that does not negotiate it fails them. They run
     * against the servers' deflate kinds ({@code sockwave-deflate}, {@code netty-epoll-deflate}, {@code ws-node}).
     */
    public static final List<String> DEFLATE = List.of(IDLE_DEFLATE, IDLE_DEFLATE_NCT, DEFLATE_CHAT,
            DEFLATE_CHAT_NCT);
    /** The scenarios that want a server that has served nothing yet: no warm-up before them. */
    public static final List<String> FRESH_SERVER = List.of(IDLE_MEMORY, IDLE_DEFLATE, IDLE_DEFLATE_NCT);
    /** Messages in flight per connection in the compressed chat echo. */
    static final int DEFLATE_WINDOW = 16;
    /** Costs at growing numbers of open connections; run by {@link #scale}, not {@link #run}. */
    public static final String SCALE = ScaleScenario.ID;
    /**
     * Loopback source addresses the scale scenario's connections spread over when one address cannot hold them
     * (issue #20's 100,000): each gives a server's port about 28,000 connections.
     */
    public static final List<String> SCALE_SOURCES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5",
            "127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9");

    /** wss://: the 16 KiB binary echo of {@link #ECHO_16K}, 1 message in flight per connection, over TLS. */
    public static final String TLS_16K = "tls16k";
    /** wss://: TCP connect, full TLS handshake (nothing resumed), upgrade, closing handshake, in a loop. */
    public static final String TLS_HANDSHAKE = "tlshandshake";
    /**
     * The wss:// scenarios: they need a server started with {@code --tls}, which serves nothing else, so they are
     * not among {@link #ALL}.
     */
    public static final List<String> TLS = List.of(TLS_16K, TLS_HANDSHAKE);
    /** {@link #ALL} and {@link #TLS}: every scenario a report may show. */
    public static final List<String> ALL_WITH_TLS = Stream.concat(ALL.stream(), TLS.stream()).toList();

    private Scenarios() {
    }

    /**
     * Runs one scenario; it opens its own connections and closes them before returning.
     *
     * @param id the scenario's id, one of {@link #ALL} or {@link #TLS} (whose server must serve wss://)
     * @param client the generator's transport, connected to the server under test
     * @param serverPid the server's process id, for its CPU time and memory
     * @param settings durations and sizes
     * @return what was measured
     * @throws InterruptedException if interrupted
     * @throws IllegalArgumentException for an unknown id
     */
    public static ScenarioResult run(String id, LoadClient client, long serverPid, LoadSettings settings)
            throws InterruptedException {
        if (id.equals(FIXED_RATE)) {
            return FixedRateScenario.single(client, settings, serverPid);
        }
        ConnectionScenario scenario = switch (id) {
            case ECHO_32_W1 -> new EchoScenario(client, settings, serverPid, id, ClientFrames.TEXT, 32, 1);
            case ECHO_32_W16 -> new EchoScenario(client, settings, serverPid, id, ClientFrames.TEXT, 32, 16);
            case ECHO_16K -> new EchoScenario(client, settings, serverPid, id, ClientFrames.BINARY, 16384, 1);
            case HANDSHAKE -> new HandshakeScenario(client, settings, serverPid);
            case IDLE_MEMORY -> new IdleMemoryScenario(client, settings, serverPid);
            case BROADCAST -> new BroadcastScenario(client, settings, serverPid);
            case TLS_16K -> new EchoScenario(client.wss(), settings, serverPid, id, ClientFrames.BINARY, 16384, 1);
            case TLS_HANDSHAKE -> new HandshakeScenario(client.wss(), settings, serverPid, id);
            case DEFLATE_CHAT -> new DeflateEchoScenario(client, settings, serverPid, id,
                    DeflateOffer.CONTEXT_TAKEOVER, DEFLATE_WINDOW);
            case DEFLATE_CHAT_NCT -> new DeflateEchoScenario(client, settings, serverPid, id,
                    DeflateOffer.NO_CONTEXT_TAKEOVER, DEFLATE_WINDOW);
            case IDLE_DEFLATE -> new IdleDeflateScenario(client, settings, serverPid, id,
                    DeflateOffer.CONTEXT_TAKEOVER);
            case IDLE_DEFLATE_NCT -> new IdleDeflateScenario(client, settings, serverPid, id,
                    DeflateOffer.NO_CONTEXT_TAKEOVER);
            default -> throw new IllegalArgumentException("unknown scenario " + id + "; known: " + ALL_WITH_TLS);
        };
        return scenario.run();
    }

    /**
     * Runs the scale scenario: connections opened in steps to each level and held, with memory, a broadcast to all
     * and connection churn measured at each level.
     *
     * @param client the generator's transport; above {@link #SCALE_ONE_SOURCE} connections they are bound to
     *     {@link #SCALE_SOURCES} in turn, else they come from 127.0.0.1 like every other scenario's
     * @param serverPid the server's process id
     * @param settings durations, broadcast window, handshake concurrency, settle time
     * @param levels connection counts, ascending
     * @return what was measured, one figure per level
     * @throws InterruptedException if interrupted
     */
    public static ScenarioResult scale(LoadClient client, long serverPid, LoadSettings settings, List<Integer> levels)
            throws InterruptedException {
        boolean spread = levels.get(levels.size() - 1) > SCALE_ONE_SOURCE;
        return new ScaleScenario(spread ? client.boundTo(SCALE_SOURCES) : client, settings, serverPid, levels).run();
    }
}
