package io.sockwave.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 in front of a redis-server. Armed with a marker (e.g. {@code sw_append}), the next
 * client-to-server chunk that contains it is forwarded to Redis, which executes it, but Redis's reply is swallowed
 * and the client's connection is cut: a reply lost on the wire, as when a link drops right after Redis ran a
 * command. Everything else passes through unchanged.
 */
final class ReplyDroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int redisPort;
    private final AtomicReference<String> armed = new AtomicReference<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile int cut;

    ReplyDroppingProxy(int redisPort) throws IOException {
        this.redisPort = redisPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** The next chunk holding this marker has its reply dropped and its connection cut. */
    void arm(String marker) {
        armed.set(marker);
    }

    /** @return how many connections were cut so far */
    int cut() {
        return cut;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress("127.0.0.1", redisPort), 2_000);
                } catch (IOException down) {
                    // Redis is down (killed, not yet restarted): this client is cut, the next one may get through
                    upstream.close();
                    client.close();
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                boolean[] swallow = {false};
                Thread up = new Thread(() -> pump(client, upstream, swallow, true), "proxy-up");
                Thread down = new Thread(() -> pump(upstream, client, swallow, false), "proxy-down");
                up.setDaemon(true);
                down.setDaemon(true);
                up.start();
                down.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean[] swallow, boolean clientToServer) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (clientToServer) {
                    String marker = armed.get();
                    String chunk = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    if (marker != null && chunk.contains(marker) && armed.compareAndSet(marker, null)) {
                        synchronized (swallow) {
                            swallow[0] = true;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                        Thread.sleep(300); // Redis runs the command and answers into the void
                        cut++;
                        from.close();
                        to.close();
                        return;
                    }
                } else {
                    synchronized (swallow) {
                        if (swallow[0]) {
                            continue;
                        }
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other side went
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
