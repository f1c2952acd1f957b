package io.sockwave.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisServer} for all the tests of a class, started before the first and closed after the last:
 * {@code @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass(Persistence.NONE);}, then
 * {@code REDIS.server()} in the tests.
 */
public final class RedisPerClass implements BeforeAllCallback, AfterAllCallback {
    private final RedisServer.Persistence persistence;
    private RedisServer server;

    /** @param persistence how the server keeps its data across a restart */
    public RedisPerClass(RedisServer.Persistence persistence) {
        this.persistence = persistence;
    }

    /** @return the class's server; only while its tests run */
    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the Redis server starts before the class's first test");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.start(persistence);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            server.close();
        } finally {
            server = null;
        }
    }
}
