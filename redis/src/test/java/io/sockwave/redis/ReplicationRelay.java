package io.sockwave.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 between a replica and its primary: the replica is started with the relay's port as its
 * primary's. {@linkplain #hold() Held}, it withholds what the primary sends, so the replica falls behind while the
 * primary goes on answering writes (the replica's acknowledgements still pass, telling the primary how far behind it
 * is); closed, it cuts both sides and what it withheld is lost: the writes a failover to that replica loses. Loopback
 * replication is otherwise too quick for a crash of the primary to lose anything.
 */
final class ReplicationRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int primaryPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean held;

    ReplicationRelay(int primaryPort) throws IOException {
        this.primaryPort = primaryPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on, nothing the primary sends reaches the replica. */
    void hold() {
        held = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket replica = server.accept();
                Socket primary = new Socket();
                primary.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), primaryPort), 2_000);
                sockets.add(replica);
                sockets.add(primary);
                start(() -> pump(primary, replica, true));
                start(() -> pump(replica, primary, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(Socket from, Socket to, boolean fromPrimary) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (fromPrimary && held) {
                    continue;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side went
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
