package io.sockwave.interop.matrix;

import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * An embedded Tomcat with a Jakarta WebSocket endpoint as a commanded echo server: permessage-deflate is on (Tomcat's
 * default), the setup's subprotocols are spoken. Tomcat has no deflate settings: it takes what the client offers
 * and can do.
 */
final class TomcatServer extends RecordingEchoServer {
    /** Shown without Sockwave by {@link TomcatDeflateWindowTest}. */
    static final String DECLINES_WINDOW = "Tomcat's server declines permessage-deflate when offered"
            + " server_max_window_bits below 15, as RFC 7692 §7.1.2.1 allows: it deflates with java.util.zip, whose"
            + " window is fixed at 15 bits (TomcatDeflateWindowTest shows it with a bare socket)";

    /**
     * Tomcat logs every start and stop at INFO through java.util.logging, and warns at each stop that RMI leak
     * detection needs an --add-opens; the matrix starts a Tomcat per cell. Held here so the settings stay.
     */
    private static final List<Logger> QUIETER = List.of(Logger.getLogger("org.apache"),
            Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase"));

    static {
        QUIETER.get(0).setLevel(Level.WARNING);
        QUIETER.get(1).setLevel(Level.SEVERE);
    }

    private final Tomcat tomcat = new Tomcat();
    private final Connector connector = new Connector();
    private final Path base;

    private TomcatServer(Setup setup) throws Exception {
        super(setup.tls() != null);
        base = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tomcat").toAbsolutePath();
        tomcat.setBaseDir(base.toString());
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        if (tls) {
            SSLHostConfig host = new SSLHostConfig();
            SSLHostConfigCertificate certificate =
                    new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateFile(setup.tls().certificatePem().toString());
            certificate.setCertificateKeyFile(setup.tls().keyPem().toString());
            host.addCertificate(certificate);
            connector.addSslHostConfig(host);
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
        }
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        // The upgrade is made by WsSci's filter, which Tomcat runs only for a request mapped to some servlet.
        Tomcat.addServlet(context, "none", new HttpServlet() { });
        context.addServletMappingDecoded("/", "none");
        context.addServletContainerInitializer(new WsSci(), null);
        ServerEndpointConfig endpoint = ServerEndpointConfig.Builder.create(CommandedEcho.class, "/echo")
                .subprotocols(setup.subprotocols())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new CommandedEcho());
                    }
                })
                .build();
        context.addServletContainerInitializer((classes, servletContext) -> {
            try {
                ((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName())).addEndpoint(endpoint);
            } catch (DeploymentException e) {
                throw new IllegalStateException(e);
            }
        }, null);
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            close();
            throw e;
        }
    }

    /** @return a factory of Tomcat servers */
    static EchoServer.Factory factory() {
        return EchoServer.Factory.of(TomcatServer::new, new PeerTraits() {
            @Override
            public String smallWindowDeclined() {
                return DECLINES_WINDOW;
            }

            @Override
            public String fragmentsNote() {
                return TomcatClient.CODE_POINTS;
            }
        });
    }

    @Override
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IOException("Tomcat did not stop", e);
        }
        // Tomcat's work directory, one per server of the run.
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    public final class CommandedEcho extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxTextMessageBufferSize(TomcatClient.MAX_MESSAGE);
            session.setMaxBinaryMessageBufferSize(TomcatClient.MAX_MESSAGE);
            session.setMaxIdleTimeout(TomcatClient.IDLE_MILLIS);
            String subprotocol = session.getNegotiatedSubprotocol();
            opened.complete(new Handshake(subprotocol == null || subprotocol.isEmpty() ? null : subprotocol,
                    TomcatClient.header(session.getNegotiatedExtensions())));
            session.addMessageHandler(String.class, text -> command(session, text));
            session.addMessageHandler(ByteBuffer.class, data -> {
                try {
                    session.getBasicRemote().sendBinary(data);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            session.addMessageHandler(PongMessage.class, pong -> {
                try {
                    session.getBasicRemote().sendText(
                            "!pong " + StandardCharsets.UTF_8.decode(pong.getApplicationData()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        private void command(Session session, String text) {
            try {
                if (text.startsWith("!ping ")) {
                    session.getBasicRemote().sendPing(
                            ByteBuffer.wrap(Commands.arguments(text).get(0).getBytes(StandardCharsets.UTF_8)));
                } else if (text.startsWith("!close ")) {
                    List<String> args = Commands.arguments(text);
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(args.get(0))),
                            args.get(1)));
                } else if (text.equals("!fragments")) {
                    TomcatClient.sendPartialText(session, Commands.wholeCodePoints(Commands.textPieces()));
                    TomcatClient.sendPartialBinary(session, Commands.binaryPieces());
                } else {
                    session.getBasicRemote().sendText(text);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed.complete(new Received.Closed(reason.getCloseCode().getCode(), reason.getReasonPhrase()));
        }
    }
}
