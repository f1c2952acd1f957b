/**
 * Sockwave's runtime: a non-blocking NIO WebSocket server and client, plain and TLS, on the sans-I/O protocol core.
 * Start with {@link io.sockwave.Server#builder()} or {@link io.sockwave.Client#create()}.
 */
module io.sockwave {
    requires transitive io.sockwave.protocol;

    exports io.sockwave;
    exports io.sockwave.room;
}
