package io.sockwave.testsupport;

/** The live threads a test measures, found by the names Sockwave gives its threads. */
public final class LiveThreads {
    private static final String SERVER = "sockwave-server-";
    private static final String FIRST_LOOP = "-loop-0";

    private LiveThreads() {
    }

    /**
     * @param name the thread's whole name
     * @return its {@link Thread#getId()}
     * @throws AssertionError if no live thread has that name
     */
    public static long named(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name)).getId();
    }

    /**
     * @return the {@link Thread#getId()} of the first event loop of the server started last: server names count up,
     *     and an earlier test's server may still be running
     * @throws AssertionError if no server loop is running
     */
    public static long newestServerLoop() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(SERVER) && t.getName().endsWith(FIRST_LOOP))
                .max((a, b) -> Integer.compare(serial(a), serial(b)))
                .orElseThrow(() -> new AssertionError("no server loop is running")).getId();
    }

    private static int serial(Thread loop) {
        String name = loop.getName();
        return Integer.parseInt(name.substring(SERVER.length(), name.indexOf("-loop-")));
    }
}
