package io.sockwave;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy on loopback that forwards one connection in pieces of 1 to 7 bytes, each flushed on its own with
 * TCP_NODELAY, so that TLS records and frames reach the other side cut at arbitrary points.
 */
final class ChoppingProxy implements AutoCloseable {
    private final ServerSocket listening;
    private final int targetPort;
    private final Thread acceptor;

    ChoppingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptOne, "chopping-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listening.getLocalPort();
    }

    private void acceptOne() {
        try (Socket client = listening.accept();
             Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            Thread back = new Thread(() -> pump(server, client), "chopping-proxy-back");
            back.setDaemon(true);
            back.start();
            pump(client, server);
            back.join(10_000);
        } catch (IOException | InterruptedException e) {
            // The test ended the connection.
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[7];
        int piece = 1;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer, 0, piece)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
                piece = piece % 7 + 1;
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side closed.
        }
    }

    @Override
    public void close() throws IOException {
        listening.close();
    }
}
