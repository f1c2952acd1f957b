package example.echo;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The README's echo server and client, in one program: it sends one message and returns what comes back. */
public final class EchoDemo {
    private EchoDemo() {
    }

    /**
     * Starts an echo server on a free loopback port, connects to it, sends {@code text} and waits for the echo.
     *
     * @param text the message to send
     * @return the message the server sent back
     */
    public static String echo(String text) throws IOException, InterruptedException, ExecutionException,
            TimeoutException {
        Server server = Server.builder()
                .host("127.0.0.1")
                .port(0)
                .route("/echo", new Listener() {
                    @Override
                    public void onText(Session session, String message) {
                        session.sendText(message);
                    }
                })
                .build()
                .start();
        try (server; Client client = Client.create()) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                    new Listener() {
                        @Override
                        public void onText(Session s, String message) {
                            reply.complete(message);
                        }
                    }).get(10, TimeUnit.SECONDS);
            session.sendText(text).get(10, TimeUnit.SECONDS);
            String echoed = reply.get(10, TimeUnit.SECONDS);
            session.close().get(10, TimeUnit.SECONDS);
            return echoed;
        }
    }

    /**
     * Prints the echo of {@code hello}.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws Exception {
        System.out.println("echo: " + echo("hello"));
    }
}
