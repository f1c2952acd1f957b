package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingListenerTest {
    /**
     * Every method of {@link Listener}, this one's and any added later, reaches the delegate with the same arguments:
     * a method ForwardingListener failed to override would fall to Listener's empty default and never arrive.
     */
    @Test
    void everyEventReachesTheDelegateWithItsArguments() throws Exception {
        List<String> received = new ArrayList<>();
        Listener recorder = (Listener) Proxy.newProxyInstance(Listener.class.getClassLoader(),
                new Class<?>[] {Listener.class}, (proxy, method, args) -> {
                    received.add(method.getName() + Arrays.toString(args));
                    return null;
                });
        Listener forwarding = new ForwardingListener(recorder) {
        };
        for (Method method : Listener.class.getMethods()) {
            Object[] args = arguments(method);
            received.clear();
            method.invoke(forwarding, args);
            assertEquals(List.of(method.getName() + Arrays.toString(args)), received, method.getName());
        }
    }

    @Test
    void aDelegateIsRequired() {
        assertThrows(NullPointerException.class, () -> new ForwardingListener(null) {
        });
    }

    /** Distinct, recognisable arguments of each parameter type. */
    private static Object[] arguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            args[i] = type == int.class ? 4000 + i
                    : type == boolean.class ? Boolean.TRUE
                    : type == String.class ? "text " + i
                    : type == java.nio.ByteBuffer.class ? java.nio.ByteBuffer.wrap(new byte[] {(byte) i})
                    : type == io.sockwave.protocol.Opcode.class ? io.sockwave.protocol.Opcode.BINARY
                    : type == Throwable.class ? new IllegalStateException("error " + i)
                    : type == Session.class ? null
                    : fail(type);
        }
        return args;
    }

    private static Object fail(Class<?> type) {
        throw new AssertionError("no test argument for a parameter of type " + type
                + ": add one, so that the new event is checked too");
    }
}
