package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.interop.Peer;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Why the aiohttp client row shows ✗ for the close by Sockwave, with no Sockwave involved: a bare server socket
 * upgrades the matrix's aiohttp client and sends it Close 4001; aiohttp's client reports 4001 to its application but
 * answers with Close 1000 instead of echoing the code (RFC 6455 §5.5.1: the endpoint typically echoes the status
 * code it received), since its automatic close calls close() with its default code.
 */
class AiohttpCloseEchoTest {

    @Test
    void aiohttpClientAnswersAServersCloseWithCode1000() throws Exception {
        ScriptedClient aiohttp = new ScriptedClient(
                args -> Peer.aiohttp("matrix_aiohttp_client.py", args.toArray(String[]::new)), new PeerTraits() { },
                false);
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("ws://127.0.0.1:" + listening.getLocalPort() + "/echo");
            CompletableFuture<Link> connected = CompletableFuture.supplyAsync(() -> {
                try {
                    return aiohttp.connect(uri, Setup.plain());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket socket = listening.accept()) {
                socket.setSoTimeout(30_000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                BareUpgrade.answer(BareUpgrade.readHead(in), out, "");
                Link link = connected.get(30, TimeUnit.SECONDS);
                out.write(new byte[] {(byte) 0x88, 5, 0x0F, (byte) 0xA1, 'b', 'y', 'e'});
                out.flush();
                assertEquals(new Received.Closed(4001, "bye"), link.next(Duration.ofSeconds(30)));
                assertEquals(0x88, in.readUnsignedByte(), "a Close frame, FIN set");
                int length = in.readUnsignedByte() & 0x7F;
                byte[] mask = in.readNBytes(4);
                byte[] payload = in.readNBytes(length);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                assertEquals(1000, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF), "the code aiohttp answers");
                link.close();
            }
        }
    }
}
