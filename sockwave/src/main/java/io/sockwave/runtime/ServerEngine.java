package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import io.sockwave.ServerStats;
import io.sockwave.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;

/** The running part of {@link io.sockwave.Server}. */
public final class ServerEngine {
    private final ServerSpec spec;

    public ServerEngine(ServerSpec spec) {
        this.spec = spec;
    }

    public void start() throws IOException {
        throw new UnsupportedOperationException("implementation in progress");
    }

    public InetSocketAddress address() {
        throw new IllegalStateException("not started");
    }

    public ServerStats stats() {
        return new ServerStats(0, 0, 0, 0, 0);
    }

    public boolean shutdown(long nanos) {
        return true;
    }

    public void close() {
    }

    public static int broadcast(Collection<? extends Session> sessions, PreparedMessage message) {
        return 0;
    }
}
