package io.sockwave.bench.peers;

import io.sockwave.bench.peers.server.BenchServer;
import io.sockwave.bench.peers.server.ServerKind;
import io.sockwave.bench.peers.server.TlsProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * {@code server --kind K [--tls jdk|conscrypt|openssl]}: runs one server (with {@code --tls}, a wss:// one) until
 * the process is killed, or until {@code --max-lifetime} seconds pass, so that a server a crashed script left behind
 * still ends by itself. Once listening it writes its port to
 * {@code --port-file} (atomically, so the script never reads half a number).
 */
final class ServerCommand {
    private ServerCommand() {
    }

    static void run(Args args) throws Exception {
        ServerKind kind = ServerKind.of(args.required("kind"));
        String tls = args.string("tls", null);
        String host = args.string("host", "127.0.0.1");
        int port = args.integer("port", 0);
        String portFile = args.string("port-file", null);
        Duration lifetime = args.seconds("max-lifetime", Duration.ofHours(1));
        args.checkAllRead();

        BenchServer server = tls == null ? kind.start(host, port) : kind.start(host, port, TlsProvider.of(tls));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "server-shutdown"));
        System.out.printf("%s listening on %s:%d (pid %d)%s%n", kind.id(), host, server.port(),
                server.pid(), tls == null ? "" : ", wss:// with TLS by " + tls);
        if (portFile != null) {
            writeAtomically(Path.of(portFile), Integer.toString(server.port()));
        }
        Thread.sleep(lifetime.toMillis());
        System.out.println(kind.id() + " reached its maximum lifetime of " + lifetime + "; stopping");
        System.exit(0);
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
