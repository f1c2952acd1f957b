package io.sockwave;

import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * The key of a typed session attribute: see {@link Session#attribute(AttributeKey)}. Keys are compared by identity,
 * so two keys with the same name never see each other's values; create each key once, as a constant:
 *
 * <pre>{@code
 * static final AttributeKey<String> USER = AttributeKey.of("user", String.class);
 * ...
 * session.setAttribute(USER, "alice");
 * String user = session.attribute(USER);
 * }</pre>
 *
 * @param <T> the type of the values
 */
public final class AttributeKey<T> {
    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /**
     * @param name a name for logs and {@link #toString()}; need not be unique
     * @param type the class of the values, which {@link Session#setAttribute} checks them against; a primitive
     *     class stands for its wrapper ({@code int.class} for {@code Integer.class}), since values are objects
     * @param <T> the type of the values
     * @return a new key, distinct from every other
     */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(Objects.requireNonNull(name, "name"), boxed(Objects.requireNonNull(type, "type")));
    }

    /** {@code int.class.cast} refuses every {@code Integer}: check values against the wrapper instead. */
    @SuppressWarnings("unchecked")
    private static <T> Class<T> boxed(Class<T> type) {
        return type.isPrimitive() ? (Class<T>) MethodType.methodType(type).wrap().returnType() : type;
    }

    /** @return the name given to {@link #of} */
    public String name() {
        return name;
    }

    /** @return the class of the values: the wrapper class when the key was made with a primitive one */
    public Class<T> type() {
        return type;
    }

    /** @return the name and the type's simple name */
    @Override
    public String toString() {
        return name + ":" + type.getSimpleName();
    }
}
