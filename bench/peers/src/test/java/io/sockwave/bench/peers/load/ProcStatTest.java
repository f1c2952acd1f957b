package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.ExternalProgram;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The /proc readings every cell's CPU figures come from, read on this test's own JVM and on a Node process. */
class ProcStatTest {
    @Test
    void theJitCompilerThreadsAreFoundAndTheirTimeIsPartOfTheProcesssCpu() {
        ProcStat.ThreadTimes threads = ProcStat.threadTimes(ProcStat.self());
        // A JVM that has loaded JUnit and run tests has compiled hundreds of methods by now.
        assertTrue(threads.compilerSeconds() > 0, "no CPU time found on threads named C1/C2 CompilerThread");
        assertTrue(threads.compilerSeconds() <= ProcStat.cpuSeconds(ProcStat.self()) + 0.05,
                threads.compilerSeconds() + " s of compiling in " + ProcStat.cpuSeconds(ProcStat.self()) + " s");
        assertTrue(threads.waitSeconds() >= 0);
        assertTrue(HeapProbe.isJvm(ProcStat.self()));
    }

    /**
     * uWebSockets.js runs under Node: its server CPU is read from the same {@code /proc/PID/stat} fields, which
     * count every thread of the process whatever its runtime; it has no HotSpot compiler threads to subtract, and
     * no Java heap for jcmd.
     */
    @Test
    void aNodeProcesssCpuIsReadTheSameWay() throws IOException, InterruptedException {
        // Spins until Node counts 400 ms of its own CPU time, then idles until stopped.
        String spin = "const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };"
                + " while (used() < 400) {} console.log('spun'); setInterval(() => {}, 1000);";
        try (ExternalProgram node = ExternalProgram.start("nodejs", List.of("node", "-e", spin))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!node.logTail().contains("spun") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(node.logTail().contains("spun"), node.logTail());
            double cpu = ProcStat.cpuSeconds(node.pid());
            assertTrue(cpu >= 0.35, "node spun 0.4 s but its CPU reads " + cpu + " s");
            assertEquals(0, ProcStat.threadTimes(node.pid()).compilerSeconds());
            assertTrue(ProcStat.residentBytes(node.pid()) > 10 << 20);
            assertFalse(HeapProbe.isJvm(node.pid()));
        }
    }
}
