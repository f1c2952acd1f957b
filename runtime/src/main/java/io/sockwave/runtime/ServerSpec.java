package io.sockwave.runtime;

import io.sockwave.HttpHandler;
import io.sockwave.Listener;
import io.sockwave.protocol.MessageBudget;
import io.sockwave.protocol.handshake.ServerHandshake;
import java.net.InetSocketAddress;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * What {@link io.sockwave.Server.Builder} configured.
 *
 * @param bind the address to listen on
 * @param tls the SSL context, or null for plain TCP
 * @param eventLoops the number of event loops
 * @param routes listeners by exact path
 * @param handshake checks upgrade requests
 * @param httpHandler answers plain HTTP requests
 * @param session the session settings
 * @param messageBudget what the incomplete messages of all the server's connections may hold together
 */
public record ServerSpec(InetSocketAddress bind, SSLContext tls, int eventLoops, Map<String, Listener> routes,
                         ServerHandshake handshake, HttpHandler httpHandler, SessionOptions session,
                         MessageBudget messageBudget) {
}
