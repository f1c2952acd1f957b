package io.sockwave.interop.matrix;

/** One row of the interoperability matrix: a peer implementation in one role against Sockwave in the other. */
public enum Row {
    JDK_CLIENT("JDK `java.net.http.WebSocket`", Role.CLIENT),
    CHROMIUM_CLIENT("Chromium (headless)", Role.CLIENT),
    FIREFOX_CLIENT("Firefox ESR (headless)", Role.CLIENT),
    JETTY_CLIENT("Jetty", Role.CLIENT),
    JETTY_SERVER("Jetty", Role.SERVER),
    NETTY_CLIENT("Netty websocketx", Role.CLIENT),
    NETTY_SERVER("Netty websocketx", Role.SERVER),
    OKHTTP_CLIENT("OkHttp", Role.CLIENT),
    VERTX_CLIENT("Vert.x", Role.CLIENT),
    VERTX_SERVER("Vert.x", Role.SERVER),
    WS_CLIENT("Node `ws`", Role.CLIENT),
    WS_SERVER("Node `ws`", Role.SERVER),
    PYTHON_CLIENT("python-websockets", Role.CLIENT),
    PYTHON_SERVER("python-websockets", Role.SERVER),
    GORILLA_CLIENT("Go gorilla/websocket", Role.CLIENT),
    GORILLA_SERVER("Go gorilla/websocket", Role.SERVER),
    TOMCAT_CLIENT("Apache Tomcat", Role.CLIENT),
    TOMCAT_SERVER("Apache Tomcat", Role.SERVER),
    JAVA_WEBSOCKET_CLIENT("Java-WebSocket", Role.CLIENT),
    JAVA_WEBSOCKET_SERVER("Java-WebSocket", Role.SERVER),
    AIOHTTP_CLIENT("aiohttp", Role.CLIENT),
    AIOHTTP_SERVER("aiohttp", Role.SERVER);

    /** The role the peer plays; Sockwave plays the other. */
    public enum Role { CLIENT, SERVER }

    private final String peer;
    private final Role role;

    Row(String peer, Role role) {
        this.peer = peer;
        this.role = role;
    }

    /** @return the peer's name as the table shows it */
    public String peer() {
        return peer;
    }

    /** @return the role the peer plays */
    public Role role() {
        return role;
    }
}
