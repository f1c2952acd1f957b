package io.sockwave;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When and how a {@link ReconnectingSession} connects again: exponential backoff with full jitter under a cap, a
 * bound on tries and on time, which ends are final, and what happens to messages sent while disconnected.
 * Immutable and thread-safe.
 *
 * <p>The delay before the try that follows {@code n} failed tries in a row (n = 0 right after an open session
 * ended) is drawn uniformly from {@code [0, min(maxDelay, initialDelay × 2^n)]} ("full jitter"), and is at least
 * {@link #MIN_DELAY}: so a fleet of clients dropped at once, as a server restarting with 1012 or overloaded with 1013
 * drops them, comes back spread over the whole window rather than at once, and no end of any kind is retried in a
 * busy loop.
 *
 * <p>A delay or time longer than {@link SessionSettings#LONGEST} counts as that, so that
 * {@code maxDelay(ChronoUnit.FOREVER.getDuration())} bounds nothing; a null one throws {@link NullPointerException}
 * naming the parameter.
 *
 * <pre>{@code
 * ReconnectPolicy policy = ReconnectPolicy.builder()
 *         .initialDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(30))
 *         .maxTries(20).finalCloseCode(4001)
 *         .holdWhileDisconnected(1 << 20)
 *         .build();
 * }</pre>
 */
public final class ReconnectPolicy {
    /** The shortest delay before any try, whatever the jitter draws: 10 milliseconds. */
    public static final Duration MIN_DELAY = Duration.ofMillis(10);

    private final long initialNanos;
    private final long maxNanos;
    private final int maxTries;
    private final long maxTimeNanos;
    private final Set<Integer> finalCloseCodes;
    private final Set<Integer> finalStatuses;
    private final long holdBytes;
    private final DoubleSupplier random;

    private ReconnectPolicy(Builder b) {
        this.initialNanos = b.initialDelay.toNanos();
        this.maxNanos = b.maxDelay.toNanos();
        this.maxTries = b.maxTries;
        this.maxTimeNanos = b.maxTime == null ? Long.MAX_VALUE : b.maxTime.toNanos();
        this.finalCloseCodes = Set.copyOf(b.finalCloseCodes);
        this.finalStatuses = Set.copyOf(b.finalStatuses);
        this.holdBytes = b.holdBytes;
        this.random = b.random;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param failedTries the tries that failed in a row since the last open session (0 right after it ended)
     * @return the jittered delay before the next try, in nanoseconds
     */
    long delayNanos(int failedTries) {
        return Math.max(MIN_DELAY.toNanos(), (long) (random.getAsDouble() * ceilingNanos(failedTries)));
    }

    /** @return the ceiling of {@link #delayNanos} for that many failed tries, for tests of the bounds */
    long ceilingNanos(int failedTries) {
        // initialDelay × 2^n, without overflowing, capped.
        boolean capped = failedTries >= 62 || initialNanos > maxNanos >> failedTries;
        return Math.max(MIN_DELAY.toNanos(), capped ? maxNanos : initialNanos << failedTries);
    }

    int maxTries() {
        return maxTries;
    }

    long maxTimeNanos() {
        return maxTimeNanos;
    }

    boolean isFinalClose(int code) {
        return finalCloseCodes.contains(code);
    }

    boolean isFinalStatus(int status) {
        return finalStatuses.contains(status);
    }

    /** @return the bytes held while disconnected, 0 when sends are refused */
    long holdBytes() {
        return holdBytes;
    }

    /** Configures a {@link ReconnectPolicy}. Not thread-safe. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofMillis(500);
        private Duration maxDelay = Duration.ofSeconds(30);
        private int maxTries = Integer.MAX_VALUE;
        private Duration maxTime;
        private final Set<Integer> finalCloseCodes = new HashSet<>(Set.of(1003, 1008));
        private final Set<Integer> finalStatuses = new HashSet<>(Set.of(401, 403));
        private long holdBytes;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /**
         * @param delay the ceiling of the first delay, doubled after each failed try; positive; default 500 ms
         * @return this builder
         */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = SessionSettings.positive("initialDelay", delay);
            return this;
        }

        /**
         * @param delay the cap on the delay's ceiling; positive; default 30 seconds
         * @return this builder
         */
        public Builder maxDelay(Duration delay) {
            this.maxDelay = SessionSettings.positive("maxDelay", delay);
            return this;
        }

        /**
         * @param tries the most connection tries in a row, after a session ends or at the start, before giving up;
         *     at least 1; default unbounded
         * @return this builder
         */
        public Builder maxTries(int tries) {
            if (tries < 1) {
                throw new IllegalArgumentException("maxTries must be at least 1, was " + tries);
            }
            this.maxTries = tries;
            return this;
        }

        /**
         * @param time how long to keep trying after a session ends (or since the start): a try that would begin
         *     later is not made; positive; default unbounded
         * @return this builder
         */
        public Builder maxTime(Duration time) {
            this.maxTime = SessionSettings.positive("maxTime", time);
            return this;
        }

        /**
         * Adds a close code after which the session is not reconnected, such as an application's own 4xxx code for
         * "banned" or "logged out". 1008 (policy violation) and 1003 (unsupported data) are final by default; others,
         * 1000, 1001, 1006, 1011, 1012 and 1013 included, are retried.
         *
         * @param code the close code, as {@link Listener#onClose} reports it
         * @return this builder
         */
        public Builder finalCloseCode(int code) {
            finalCloseCodes.add(code);
            return this;
        }

        /**
         * Adds an HTTP status with which a refused opening handshake is final; 401 and 403 are by default.
         *
         * @param status the status of the {@link io.sockwave.protocol.handshake.HandshakeException}
         * @return this builder
         */
        public Builder finalHandshakeStatus(int status) {
            finalStatuses.add(status);
            return this;
        }

        /**
         * Holds messages sent while disconnected, up to {@code maxBytes} of payload, and sends them in order on the
         * next session, after its {@link Listener#onOpen}. A send that would hold more fails at once with an
         * {@link OutboundLimitExceededException}; held sends fail when the session gives up or is closed. By
         * default such sends are refused at once.
         *
         * @param maxBytes the most payload bytes held (text counted in UTF-8); positive
         * @return this builder
         */
        public Builder holdWhileDisconnected(long maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
            }
            this.holdBytes = maxBytes;
            return this;
        }

        /**
         * Refuses messages sent while disconnected at once, with an {@link java.io.IOException}: the default.
         *
         * @return this builder
         */
        public Builder refuseWhileDisconnected() {
            this.holdBytes = 0;
            return this;
        }

        /** Replaces the jitter's source of uniform numbers in [0, 1), for tests. */
        Builder random(DoubleSupplier source) {
            this.random = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException if the initial delay exceeds the maximum delay
         */
        public ReconnectPolicy build() {
            if (initialDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("initialDelay " + initialDelay + " exceeds maxDelay " + maxDelay);
            }
            return new ReconnectPolicy(this);
        }
    }
}
