package io.sockwave.protocol.extension;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.Role;
import java.util.List;

/** A client and a server connection that negotiated permessage-deflate through the real offer/accept path. */
record DeflatePeers(Connection client, Connection server, Extension clientExtension, Extension serverExtension) {

    static DeflatePeers negotiate(PerMessageDeflate clientFactory, PerMessageDeflate serverFactory, Limits limits) {
        List<ExtensionOffer> offers = clientFactory.offers();
        Extension serverSide = serverFactory.accept(offers);
        if (serverSide == null) {
            throw new AssertionError("server declined " + offers);
        }
        Extension clientSide = clientFactory.accepted(serverSide.negotiated());
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT).withLimits(limits)
                .withExtensions(List.of(clientSide)));
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withLimits(limits)
                .withExtensions(List.of(serverSide)));
        return new DeflatePeers(client, server, clientSide, serverSide);
    }

    static ExtensionOffer offer(String header) {
        String[] parts = header.split(";");
        List<ExtensionParameter> params = new java.util.ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            params.add(eq < 0 ? new ExtensionParameter(p, null)
                    : new ExtensionParameter(p.substring(0, eq).trim(), p.substring(eq + 1).trim()));
        }
        return new ExtensionOffer(parts[0].trim(), params);
    }

    void release() {
        client.release();
        server.release();
    }
}
