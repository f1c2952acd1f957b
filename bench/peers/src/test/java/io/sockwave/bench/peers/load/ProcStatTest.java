package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The /proc readings every cell's CPU figures come from, read on this test's own JVM. */
class ProcStatTest {
    @Test
    void theJitCompilerThreadsAreFoundAndTheirTimeIsPartOfTheProcesssCpu() {
        ProcStat.ThreadTimes threads = ProcStat.threadTimes(ProcStat.self());
        // A JVM that has loaded JUnit and run tests has compiled hundreds of methods by now.
        assertTrue(threads.compilerSeconds() > 0, "no CPU time found on threads named C1/C2 CompilerThread");
        assertTrue(threads.compilerSeconds() <= ProcStat.cpuSeconds(ProcStat.self()) + 0.05,
                threads.compilerSeconds() + " s of compiling in " + ProcStat.cpuSeconds(ProcStat.self()) + " s");
        assertTrue(threads.waitSeconds() >= 0);
    }
}
