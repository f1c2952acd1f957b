package io.sockwave.cli.it;

import io.sockwave.testsupport.ExternalProgram;
import io.sockwave.testsupport.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's nginx in front of some nodes, on a free loopback port, with the documented configuration
 * ({@code cli/nginx-cluster.conf}) wrapped in a minimal nginx.conf that keeps every file in a temporary directory.
 */
final class NginxFront implements AutoCloseable {
    private final Path dir;
    private final ExternalProgram nginx;
    private final int port;

    private NginxFront(Path dir, ExternalProgram nginx, int port) {
        this.dir = dir;
        this.nginx = nginx;
        this.port = port;
    }

    /** Balances over the nodes, round robin, as documented. */
    static NginxFront start(List<Integer> nodePorts) throws IOException, InterruptedException {
        StringBuilder servers = new StringBuilder();
        for (int nodePort : nodePorts) {
            servers.append("    server 127.0.0.1:").append(nodePort).append(" max_fails=1 fail_timeout=5s;\n");
        }
        return start(servers.toString());
    }

    /** Sends everything to one node while it answers, then to the backup: a test knows where its pages are. */
    static NginxFront startWithBackup(int primaryPort, int backupPort) throws IOException, InterruptedException {
        return start("    server 127.0.0.1:" + primaryPort + " max_fails=1 fail_timeout=5s;\n"
                + "    server 127.0.0.1:" + backupPort + " backup;\n");
    }

    private static NginxFront start(String servers) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sockwave-nginx-");
        int port = LoopbackPorts.free();
        String site = Files.readString(SockwaveProcess.repository().resolve("cli/nginx-cluster.conf"));
        site = site.replaceAll("(?m)^    server 127\\.0\\.0\\.1:800[12].*\\n", "")
                .replace("upstream sockwave {\n", "upstream sockwave {\n" + servers)
                .replace("listen 127.0.0.1:8000;", "listen 127.0.0.1:" + port + ";");
        String conf = "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\nevents { worker_connections 256; }\nhttp {\n"
                + "access_log off;\n"
                + "client_body_temp_path " + dir.resolve("body") + ";\nproxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "fastcgi_temp_path " + dir.resolve("fastcgi") + ";\nuwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "scgi_temp_path " + dir.resolve("scgi") + ";\n" + site + "}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        ExternalProgram nginx = ExternalProgram.startListening("nginx", port, Duration.ofSeconds(15),
                List.of("nginx", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(), "-c", file.toString()));
        return new NginxFront(dir, nginx, port);
    }

    /** @return {@code http://127.0.0.1:PORT} */
    String httpBase() {
        return "http://127.0.0.1:" + port;
    }

    java.net.URI uri(String path) {
        return java.net.URI.create("ws://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws IOException {
        nginx.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
