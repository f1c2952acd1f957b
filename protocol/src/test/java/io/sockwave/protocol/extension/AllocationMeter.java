package io.sockwave.protocol.extension;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread, from {@code com.sun.management.ThreadMXBean}. Reached reflectively because
 * the protocol module, whose tests run inside it, does not read the management modules and should not have to.
 */
final class AllocationMeter {
    private final Object bean;
    private final Method allocated;

    AllocationMeter() {
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM cannot count allocated bytes", e);
        }
    }

    long allocatedBytes() {
        try {
            return (long) allocated.invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
