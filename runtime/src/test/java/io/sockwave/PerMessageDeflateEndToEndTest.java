package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** permessage-deflate (RFC 7692) plugged into the runtime on both sides through the extension factories. */
class PerMessageDeflateEndToEndTest {
    private static final String COMPRESSIBLE = "all work and no play makes jack a dull boy. ".repeat(2000);

    @Test
    void compressedMessagesRoundTripIncludingPreparedOnes() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .extensions(PerMessageDeflate.defaults()).route("/echo", new EchoListener()).build().start();
             Client client = Client.create()) {
            Recorder recorder = new Recorder();
            ClientOptions options = ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), options,
                    recorder).get(10, TimeUnit.SECONDS);
            assertEquals("permessage-deflate", session.extensions().get(0).name());
            recorder.expect("open");
            for (int i = 0; i < 10; i++) {
                session.sendText(i + COMPRESSIBLE);
            }
            session.send(PreparedMessage.text("prepared " + COMPRESSIBLE));
            session.sendBinary(ByteBuffer.wrap(new byte[100_000]));
            session.sendText("pie", false);
            session.sendText("ces", true);
            for (int i = 0; i < 10; i++) {
                assertEquals("text:" + i + COMPRESSIBLE, recorder.next());
            }
            assertEquals("text:prepared " + COMPRESSIBLE, recorder.next());
            recorder.expect("binary:100000");
            recorder.expect("text:pieces");
            session.close();
            assertEquals("close:1000:", recorder.awaitClose());
        }
    }

    @Test
    void serverCompressesWhatItSendsToAClientThatOffersDeflate() throws Exception {
        Recorder recorder = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .extensions(PerMessageDeflate.defaults()).route("/", recorder).build().start();
             RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            String head = raw.readHead();
            assertTrue(head.contains("Sec-WebSocket-Extensions: permessage-deflate"), head);
            Session session = recorder.session();
            session.sendText(COMPRESSIBLE);
            RawSocket.Frame frame = raw.readFrame();
            assertEquals(0xC1, frame.b0(), "FIN, RSV1 (compressed) and text");
            assertTrue(frame.payload().length < COMPRESSIBLE.length() / 10, "compressed to " + frame.payload().length);
            session.send(PreparedMessage.text(COMPRESSIBLE));
            assertEquals(0xC1, raw.readFrame().b0(), "a prepared message is compressed for this session too");
        }
    }
}
