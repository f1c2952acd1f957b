package io.sockwave.bench;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.EventHandler;
import io.sockwave.protocol.Role;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what permessage-deflate costs per open connection: the resident set (heap and zlib's native memory)
 * of a process holding N server-side connections that each received and sent one compressed message, with and
 * without context takeover. Run: {@code java -cp bench/target/benchmarks.jar io.sockwave.bench.DeflateFootprint
 * [connections]} with a fixed, pre-touched heap ({@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}) so that heap growth
 * does not show as resident memory.
 */
public final class DeflateFootprint {
    private DeflateFootprint() {
    }

    /** @param args the number of connections per measurement, default 2000 */
    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        for (boolean takeover : new boolean[] {true, false}) {
            System.out.printf("context takeover %-5s: %6.1f KiB per connection%n", takeover,
                    perConnection(count, takeover) / 1024.0);
        }
    }

    private static double perConnection(int count, boolean takeover) throws IOException {
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0)
                .serverNoContextTakeover(!takeover).clientNoContextTakeover(!takeover).build();
        byte[] json = Payloads.jsonStream(1).get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        EventHandler ignore = new EventHandler() { };
        List<Connection> open = new ArrayList<>(count);
        System.gc();
        long before = residentBytes();
        for (int i = 0; i < count; i++) {
            Extension extension = factory.accept(factory.offers());
            Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(extension)));
            Connection client = new Connection(ConnectionConfig.of(Role.CLIENT)
                    .withExtensions(List.of(factory.accepted(extension.negotiated()))));
            server.receive(client.sendBinary(ByteBuffer.wrap(json)), ignore);
            client.receive(server.sendBinary(ByteBuffer.wrap(json)), ignore);
            client.release();
            open.add(server);
        }
        System.gc();
        long after = residentBytes();
        open.forEach(Connection::release);
        return (after - before) / (double) count;
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
