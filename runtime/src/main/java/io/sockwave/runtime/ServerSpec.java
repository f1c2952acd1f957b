package io.sockwave.runtime;

import io.sockwave.HttpHandler;
import io.sockwave.UpgradeHook;
import io.sockwave.protocol.MessageBudget;
import io.sockwave.protocol.handshake.ServerHandshake;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What {@link io.sockwave.Server.Builder} configured.
 *
 * @param bind the address to listen on
 * @param family the listening socket's protocol family, or null for the JVM's default: IPv6, which takes IPv4 too,
 *     where the JVM has IPv6
 * @param tls the SSL context, or null for plain TCP
 * @param tlsParameters adjusts each TLS connection's parameters, or null to keep the context's
 * @param eventLoops the number of event loops
 * @param routes the routes, immutable
 * @param handshake checks upgrade requests
 * @param httpHandler answers plain HTTP requests
 * @param upgradeHook decides about every upgrade before its route's hook; null for none
 * @param session the session settings
 * @param messageBudget what the incomplete messages of all the server's connections may hold together
 */
public record ServerSpec(InetSocketAddress bind, ProtocolFamily family, SSLContext tls,
                         Consumer<SSLParameters> tlsParameters, int eventLoops, Router routes,
                         ServerHandshake handshake, HttpHandler httpHandler, UpgradeHook upgradeHook,
                         SessionOptions session, MessageBudget messageBudget) {
}
