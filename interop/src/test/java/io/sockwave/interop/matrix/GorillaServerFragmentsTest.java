package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the gorilla server row's "fragments peer → Sockwave" cell rests on, read off the wire with a bare socket: the
 * matrix's gorilla server sends {@link Commands#FRAGMENTED_TEXT} as a text frame and continuation frames (RFC 6455
 * §5.4) of 1,004 bytes, the first ending inside U+1F600's UTF-8, and {@link Commands#FRAGMENTED_BINARY} likewise.
 */
class GorillaServerFragmentsTest {
    private static final int FRAME = 1004;

    @Test
    void gorillaServerSendsMessagesInFramesOfItsWriteBuffer() throws Exception {
        EchoServer.Factory gorilla = ScriptedServer.factory(args -> GorillaPeer.command("server", args),
                new PeerTraits() { });
        try (EchoServer server = gorilla.start(Setup.plain());
             Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
            socket.setSoTimeout(30_000);
            String key = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            skipHead(in);
            socket.getOutputStream().write(maskedText("!fragments"));

            byte[] text = Commands.FRAGMENTED_TEXT.getBytes(StandardCharsets.UTF_8);
            List<byte[]> textFrames = readMessage(in, 0x1);
            assertFramedBy(text, textFrames);
            assertEquals(0x80, text[textFrames.get(0).length] & 0xc0,
                    "the second frame starts with a continuation byte of U+1F600's UTF-8");
            assertFramedBy(Commands.FRAGMENTED_BINARY, readMessage(in, 0x2));
        }
    }

    private static void assertFramedBy(byte[] message, List<byte[]> frames) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            if (i < frames.size() - 1) {
                assertEquals(FRAME, frames.get(i).length, "frame " + i);
            }
            whole.writeBytes(frames.get(i));
        }
        assertTrue(frames.size() > 1, "sent in " + frames.size() + " frame(s)");
        assertArrayEquals(message, whole.toByteArray());
    }

    /** @return the payloads of one message's frames: a data frame of this opcode, then continuation frames */
    private static List<byte[]> readMessage(DataInputStream in, int opcode) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        boolean fin;
        do {
            int first = in.readUnsignedByte();
            fin = (first & 0x80) != 0;
            assertEquals(frames.isEmpty() ? opcode : 0x0, first & 0x0f, "opcode of frame " + frames.size());
            int second = in.readUnsignedByte();
            assertEquals(0, second & 0x80, "a server's frames are not masked");
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            frames.add(payload);
        } while (!fin);
        return frames;
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private static void skipHead(InputStream in) throws IOException {
        String head = BareUpgrade.readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
    }
}
