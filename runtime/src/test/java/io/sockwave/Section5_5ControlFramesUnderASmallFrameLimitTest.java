package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Limits;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §5.5: a control frame carries at most 125 bytes, and §5.5.1 and §5.5.2 owe it an answer. A message limit
 * below 125 bytes lowers the frame limit with it ({@link Limits#withMaxMessageSize}), which guards data frames only:
 * a valid ping still gets its pong and a close with a long reason still ends the closing handshake cleanly, on both
 * ends, through real sockets. (Before, both were failed with 1009 "frame of N bytes exceeds the limit".)
 */
class Section5_5ControlFramesUnderASmallFrameLimitTest {
    private static final Limits TEN_BYTES = Limits.DEFAULTS.withMaxMessageSize(10);

    @Test
    void theServerAnswersA125BytePingAndALongCloseAndStillRefusesAnElevenByteMessage() throws Exception {
        Recorder recorder = new Recorder();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).limits(TEN_BYTES).route("/", recorder)
                .build().start();
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            byte[] ping = new byte[125];
            Arrays.fill(ping, (byte) 'p');
            raw.write(RawSocket.masked(0x89, ping));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertArrayEquals(ping, pong.payload());

            String reason = "a reason longer than ten bytes";
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(4000, reason)));
            assertEquals(4000, raw.expectCloseAndEof());
            assertEquals("close:4000:" + reason, recorder.awaitClose());

            try (RawSocket other = RawSocket.connect(server.port()).open("/")) {
                other.write(RawSocket.masked(0x82, new byte[11]));
                assertEquals(1009, other.expectCloseAndEof(), "data frames keep the limit");
            }
        } finally {
            server.close();
        }
    }

    @Test
    void aClientWithATenByteLimitTakesTheServersLongCloseReply() throws Exception {
        Recorder recorder = new Recorder();
        try (HandMadeServer handMade = new HandMadeServer(); Client client = Client.create()) {
            var connect = client.connect(handMade.uri("/"), ClientOptions.builder().limits(TEN_BYTES).build(),
                    recorder);
            HandMadeServer.Accepted accepted = handMade.accept();
            RawSocket raw = accepted.raw();
            raw.accept101(accepted.request());
            Session session = connect.get(10, TimeUnit.SECONDS);

            session.close(1000, "");
            assertEquals(1000, raw.readMaskedFrame().closeCode());
            raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1000, "the server's longer reply"), false));
            raw.close();
            assertEquals("close:1000:the server's longer reply", recorder.awaitClose());
        }
    }
}
