package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the Vert.x rows show ✗ for the smallest window, with no Sockwave involved: a bare socket written here plays the
 * other end, agrees on a window of N bits for Vert.x's messages (RFC 7692 §7.1.2), has Vert.x send the matrix's
 * 70,000-byte binary message, and inflates the frame with the JDK's (15-bit, so lenient) inflater. At 9 bits Vert.x's
 * server and client both send a stream that inflates to 69,908 bytes; at 10 and 15 bits the message comes whole.
 * Vert.x compresses with Netty's permessage-deflate encoder, whose same loss {@link NettyDeflateWindowTest} shows.
 */
class VertxDeflateWindowTest {
    private static final byte[] MESSAGE = Payload.binary(70_000).bytes();

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {9, 10, 15})
    void vertxServerSendsWholeMessagesOnlyAboveNineBits(int bits) throws Exception {
        Vertx vertx = VertxClient.vertx();
        try {
            HttpServer server = VertxClient.await(vertx.createHttpServer(new HttpServerOptions()
                            .setHost("127.0.0.1").setPort(0).setPerMessageWebSocketCompressionSupported(true)
                            .setMaxWebSocketFrameSize(VertxClient.MAX_MESSAGE))
                    .webSocketHandler(ws -> ws.binaryMessageHandler(ws::writeBinaryMessage)).listen());
            try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
                String offer = bits == 15 ? "permessage-deflate" : "permessage-deflate; server_max_window_bits=" + bits;
                String response = BareUpgrade.offer(socket, "/echo", offer);
                assertTrue(response.startsWith("HTTP/1.1 101"), response);
                if (bits < 15) {
                    assertTrue(response.contains("server_max_window_bits=" + bits), response);
                }
                socket.getOutputStream().write(maskedBinaryFrame(MESSAGE));
                assertInflatesAsExpected(bits, readCompressedFrame(socket.getInputStream()));
            }
        } finally {
            VertxClient.stop(vertx);
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {9, 10, 15})
    void vertxClientSendsWholeMessagesOnlyAboveNineBits(int bits) throws Exception {
        Vertx vertx = VertxClient.vertx();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setTryUsePerMessageCompression(true).setMaxFrameSize(VertxClient.MAX_MESSAGE));
            ClientWebSocket ws = client.webSocket();
            Future<WebSocket> connected = ws.connect(new WebSocketConnectOptions()
                    .setHost("127.0.0.1").setPort(listener.getLocalPort()).setURI("/echo"));
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(30_000);
                String request = BareUpgrade.readHead(socket.getInputStream());
                assertTrue(request.contains("client_max_window_bits"), "Vert.x offers to limit its window: "
                        + request);
                BareUpgrade.answer(request, socket.getOutputStream(),
                        bits == 15 ? "permessage-deflate" : "permessage-deflate; client_max_window_bits=" + bits);
                VertxClient.await(connected);
                VertxClient.await(ws.writeBinaryMessage(Buffer.buffer(MESSAGE)));
                assertInflatesAsExpected(bits, readCompressedFrame(socket.getInputStream()));
            }
            // Vert.x closes a client that is garbage collected, with its connections.
            Reference.reachabilityFence(client);
        } finally {
            VertxClient.stop(vertx);
        }
    }

    private static void assertInflatesAsExpected(int bits, byte[] compressed) throws Exception {
        Inflater inflater = new Inflater(true);
        // RFC 7692 §7.2.2: the receiver appends the 00 00 ff ff the sender removed.
        byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
        input[input.length - 2] = (byte) 0xff;
        input[input.length - 1] = (byte) 0xff;
        inflater.setInput(input);
        byte[] inflated = new byte[MESSAGE.length * 2];
        int length = inflater.inflate(inflated);
        inflater.end();
        byte[] got = Arrays.copyOf(inflated, length);
        if (bits == 9) {
            assertEquals(69_908, length, "Vert.x's 9-bit stream still loses the same bytes");
            assertFalse(Arrays.equals(MESSAGE, got));
        } else {
            assertArrayEquals(MESSAGE, got);
        }
    }

    /** @return the payload of one final binary frame with RSV1 set (RFC 7692 §6), unmasked if it was masked */
    private static byte[] readCompressedFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        assertEquals(0x80 | 0x40 | 0x2, first, "a final, compressed binary frame");
        int second = data.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = data.readUnsignedShort();
        } else if (length == 127) {
            length = data.readLong();
        }
        byte[] mask = new byte[4];
        boolean masked = (second & 0x80) != 0;
        if (masked) {
            data.readFully(mask);
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        data.readFully(payload);
        for (int i = 0; masked && i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return payload;
    }

    /** @return a final binary frame, uncompressed (RSV1 clear, RFC 7692 §6), masked as clients must (RFC 6455 §5.3) */
    private static byte[] maskedBinaryFrame(byte[] payload) {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] frame = new byte[2 + 8 + 4 + payload.length];
        frame[0] = (byte) 0x82;
        frame[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            frame[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
        }
        System.arraycopy(mask, 0, frame, 10, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[14 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }
}
