package io.sockwave.cli.serve;

import sun.misc.Signal;

/**
 * Takes SIGTERM and SIGINT from the JVM, whose default for them is to run the shutdown hooks and exit with 128 plus
 * the signal's number (143, 130): a server stopped on purpose and shut down gracefully should say so with 0, as
 * service managers (systemd, Kubernetes) expect of a clean stop. Any other way the JVM ends still runs the hooks.
 */
final class StopSignals {
    private StopSignals() {
    }

    /**
     * @param stop what a TERM or INT signal runs, on the JVM's signal-dispatch thread
     * @return whether both signals are handled; false where the platform does not let them be (the JVM's default
     *     then applies)
     */
    static boolean handle(Runnable stop) {
        try {
            Signal.handle(new Signal("TERM"), signal -> stop.run());
            Signal.handle(new Signal("INT"), signal -> stop.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
