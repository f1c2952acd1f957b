package io.sockwave.interop.matrix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A peer's client in another process (ws under Node, python-websockets), driven over its standard input and output
 * with tab-separated lines (see matrix_client.js and matrix_client.py); strings that may hold tabs go as base64.
 */
final class ScriptedClient implements PeerClient {
    /** Builds the command from URL, subprotocols, deflate variant, window bits and CA file. */
    private final Function<List<String>, List<String>> command;
    private final PeerTraits traits;
    private final boolean utf8Fragments;

    ScriptedClient(Function<List<String>, List<String>> command, PeerTraits traits, boolean utf8Fragments) {
        this.command = command;
        this.traits = traits;
        this.utf8Fragments = utf8Fragments;
    }

    @Override
    public int smallestWindowBits() {
        return traits.smallestWindowBits();
    }

    @Override
    public String fragmentsNote() {
        return traits.fragmentsNote();
    }

    @Override
    public String sendsNoFragments() {
        return traits.sendsNoFragments();
    }

    @Override
    public Link connect(URI uri, Setup setup) throws Exception {
        List<String> args = List.of(uri.toString(),
                setup.subprotocols().isEmpty() ? "-" : String.join(",", setup.subprotocols()),
                setup.deflate().name(), Integer.toString(setup.windowBits()),
                setup.tls() == null ? "-" : setup.tls().certificatePem().toString());
        Process process = new ProcessBuilder(command.apply(args)).redirectErrorStream(true).start();
        ScriptedLink link = new ScriptedLink(process, utf8Fragments);
        try {
            String[] open = link.awaitOpen();
            link.subprotocol = "-".equals(open[1]) ? null : open[1];
            link.extensions = "-".equals(open[2]) ? "" : open[2];
            return link;
        } catch (Exception e) {
            link.close();
            throw e;
        }
    }

    static String b64(String text) {
        return text.isEmpty() ? "-" : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String field) {
        return "-".equals(field) ? "" : new String(Base64.getDecoder().decode(field), StandardCharsets.UTF_8);
    }

    private static final class ScriptedLink implements Link {
        private final Process process;
        private final Writer in;
        private final BlockingQueue<String[]> lines = new LinkedBlockingQueue<>();
        private final StringBuilder stray = new StringBuilder();
        private final boolean utf8Fragments;
        private String subprotocol;
        private String extensions;

        ScriptedLink(Process process, boolean utf8Fragments) {
            this.process = process;
            this.utf8Fragments = utf8Fragments;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line.split("\t", -1));
                    }
                } catch (IOException ended) {
                    // the process is gone; next() reports what it said before
                }
                lines.add(new String[] {"exit"});
            }, "interop-script-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String[] awaitOpen() throws Exception {
            for (String[] line; (line = lines.poll(30, TimeUnit.SECONDS)) != null; ) {
                switch (line[0]) {
                    case "open" -> {
                        return line;
                    }
                    case "error" -> throw new IOException("the peer's client failed to connect: " + unb64(line[1])
                            + stray);
                    case "exit", "closed" -> throw new IOException("the peer's client ended: " + String.join(" ", line)
                            + stray);
                    default -> stray.append('\n').append(String.join("\t", line));
                }
            }
            throw new IOException("the peer's client did not connect within 30 s" + stray);
        }

        @Override
        public String subprotocol() {
            return subprotocol;
        }

        @Override
        public String extensions() {
            return extensions;
        }

        private void write(String... fields) throws IOException {
            in.write(String.join("\t", fields) + "\n");
            in.flush();
        }

        @Override
        public void send(Payload payload) throws IOException {
            write("send", payload.text() ? "text" : "binary", Integer.toString(payload.size()),
                    payload.literal() == null ? "-" : b64(payload.literal()));
        }

        @Override
        public void sendUtf8Fragments(List<byte[]> pieces) throws IOException {
            if (!utf8Fragments) {
                throw new UnsupportedOperationException("its API sends text fragments as whole characters");
            }
            write(fragments("utf8fragments", pieces));
        }

        @Override
        public String sendTextFragments(List<String> pieces) throws IOException {
            List<byte[]> utf8 = new ArrayList<>();
            for (String piece : Commands.wholeCodePoints(pieces)) {
                utf8.add(piece.getBytes(StandardCharsets.UTF_8));
            }
            write(fragments("textfragments", utf8));
            return "cut between code points: each str fragment is encoded on its own";
        }

        @Override
        public void sendBinaryFragments(List<byte[]> pieces) throws IOException {
            write(fragments("binaryfragments", pieces));
        }

        private static String[] fragments(String op, List<byte[]> pieces) {
            String[] fields = new String[pieces.size() + 1];
            fields[0] = op;
            for (int i = 0; i < pieces.size(); i++) {
                fields[i + 1] = pieces.get(i).length == 0 ? "-" : Base64.getEncoder().encodeToString(pieces.get(i));
            }
            return fields;
        }

        @Override
        public void ping(String payload) throws IOException {
            write("ping", payload);
        }

        @Override
        public void close(int code, String reason) throws IOException {
            write("close", Integer.toString(code), b64(reason));
        }

        @Override
        public Received next(Duration timeout) throws InterruptedException {
            String[] line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                return null;
            }
            return switch (line[0]) {
                case "text", "binary" -> new Received.Message("text".equals(line[0]), Integer.parseInt(line[1]),
                        line[2]);
                case "pong" -> new Received.Pong(line.length > 1 ? line[1] : "");
                case "closed" -> new Received.Closed(Integer.parseInt(line[1]), unb64(line[2]));
                default -> throw new IllegalStateException("the peer's client said: " + String.join(" ", line)
                        + stray);
            };
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } catch (IOException gone) {
                // already exited
            }
            ScriptedServer.stop(process);
        }
    }
}
