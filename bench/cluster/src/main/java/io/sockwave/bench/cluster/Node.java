package io.sockwave.bench.cluster;

import java.nio.file.Path;

/**
 * One node of the cluster under test, started by the script.
 *
 * @param port its port on 127.0.0.1
 * @param pid its process id, for signals and memory readings
 * @param memFile where a Socket.IO node writes its memory use on SIGUSR2, or null for a JVM
 */
record Node(int port, long pid, Path memFile) {
}
