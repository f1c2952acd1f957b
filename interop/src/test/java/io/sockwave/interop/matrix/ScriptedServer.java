package io.sockwave.interop.matrix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A peer's commanded echo server in another process (matrix_server.js, matrix_server.py): it prints its port, then
 * a line when a connection opens and when it closes; closing its standard input stops it.
 */
final class ScriptedServer extends RecordingEchoServer {
    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final StringBuilder output = new StringBuilder();

    private ScriptedServer(List<String> command, boolean tls) throws Exception {
        super(tls);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::read, "interop-script-server-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("the peer's server did not start: " + output, e);
        }
    }

    /**
     * @param command builds the command from subprotocols, deflate variant, window bits, certificate and key files
     */
    static EchoServer.Factory factory(Function<List<String>, List<String>> command, PeerTraits traits) {
        return EchoServer.Factory.of(setup -> {
            List<String> args = List.of(
                    setup.subprotocols().isEmpty() ? "-" : String.join(",", setup.subprotocols()),
                    setup.deflate().name(), Integer.toString(setup.windowBits()),
                    setup.tls() == null ? "-" : setup.tls().certificatePem().toString(),
                    setup.tls() == null ? "-" : setup.tls().keyPem().toString());
            return new ScriptedServer(command.apply(args), setup.tls() != null);
        }, traits);
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                String[] fields = line.split("\t", -1);
                switch (fields[0]) {
                    case "PORT" -> port.complete(Integer.parseInt(fields[1].trim()));
                    case "open" -> opened.complete(new Handshake("-".equals(fields[1]) ? null : fields[1], null));
                    case "closed" -> closed.complete(new Received.Closed(Integer.parseInt(fields[1]),
                            ScriptedClient.unb64(fields[2])));
                    default -> {
                        synchronized (output) {
                            output.append('\n').append(line);
                        }
                    }
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
        port.completeExceptionally(new IOException("exited"));
    }

    /** Waits for a process told to stop, and kills it if it does not, keeping an interrupt for the caller. */
    static void stop(Process process) throws IOException {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the peer stopped");
        }
    }




    @Override
    int port() {
        return port.join();
    }

    @Override
    public void close() throws IOException {
        try {
            process.getOutputStream().close();
        } catch (IOException gone) {
            // already exited
        }
        stop(process);
    }
}
