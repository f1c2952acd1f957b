package io.sockwave.cli.serve;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Takes SIGTERM and SIGINT from the JVM, whose default for them is to run the shutdown hooks and exit with 128 plus
 * the signal's number (143, 130): a server stopped on purpose and shut down gracefully should say so with 0, as
 * service managers (systemd, Kubernetes) expect of a clean stop. Any other way the JVM ends still runs the hooks.
 *
 * <p>The JDK's only signal API is {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached here by
 * reflection: the build treats every compiler and Javadoc warning as an error, and naming an internal API is one.
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
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handlerType},
                    handlerRunning(stop));
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : new String[] {"TERM", "INT"}) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // No such API, or the platform refuses the signal (IllegalArgumentException, wrapped or not).
            return false;
        }
    }

    /** A {@code SignalHandler} whose one method runs {@code stop}; Object's methods answer as an identity would. */
    private static InvocationHandler handlerRunning(Runnable stop) {
        return (proxy, method, arguments) -> switch (method.getName()) {
            case "handle" -> {
                stop.run();
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == arguments[0];
            case "toString" -> "sockwave stop-signal handler";
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
