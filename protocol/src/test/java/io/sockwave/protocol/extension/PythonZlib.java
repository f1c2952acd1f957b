package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Inflates a raw DEFLATE stream with zlib through Python, limited to a window of 2^bits bytes. The JDK's inflater
 * cannot be limited, so this is how tests prove that a stream made for a small window (RFC 7692 §7.1.2) inflates
 * with that window; the CI machine has Python. Without it the calling test is skipped, not passed.
 */
final class PythonZlib {
    private PythonZlib() {
    }

    /**
     * @param raw a raw DEFLATE stream (no zlib header)
     * @param bits the window size, 8 to 15
     * @return the inflated bytes
     * @throws AssertionError if zlib refuses the stream
     */
    static byte[] inflate(byte[] raw, int bits) throws IOException, InterruptedException {
        // Output in small steps: within one call, zlib resolves back-references against the output buffer as well
        // as its window, so one call with a large buffer would accept references far beyond the window.
        String script = "import sys,zlib\n"
                + "d=zlib.decompressobj(-" + bits + ")\n"
                + "data=sys.stdin.buffer.read()\n"
                + "while True:\n"
                + "    chunk=d.decompress(data,64)\n"
                + "    data=d.unconsumed_tail\n"
                + "    sys.stdout.buffer.write(chunk)\n"
                + "    if not chunk and not data: break\n";
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException noPython) {
            assumeTrue(false, "python3 not available: " + noPython.getMessage());
            throw noPython;
        }
        Thread writer = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                in.write(raw);
            } catch (IOException ignored) {
                // the process died; its exit code reports it
            }
        });
        writer.start();
        byte[] out = p.getInputStream().readAllBytes();
        writer.join(10_000);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("zlib refused the stream with window bits " + bits);
        }
        return out;
    }
}
