package example.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EchoDemoTest {
    @Test
    void messageComesBackThroughThePublishedArtifacts() throws Exception {
        assertEquals("hello, 世界", EchoDemo.echo("hello, 世界"));
    }
}
