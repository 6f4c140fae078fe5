package io.autoflow.gateway.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: holds up to {@code capacity} requests (the burst) and gains {@code refillTokens}
 * every {@code refillPeriod}, spread evenly over the period.
 */
public record RateLimitSettings(long capacity, long refillTokens, Duration refillPeriod) {

    /** The seed design: bursts of 10, 60 requests a minute. */
    public static final RateLimitSettings DEFAULT = new RateLimitSettings(10, 60, Duration.ofMinutes(1));

    public RateLimitSettings {
        Objects.requireNonNull(refillPeriod, "refillPeriod");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
        }
        if (refillTokens <= 0) {
            throw new IllegalArgumentException("refillTokens must be > 0, was " + refillTokens);
        }
        if (refillPeriod.isNegative() || refillPeriod.isZero()) {
            throw new IllegalArgumentException("refillPeriod must be positive, was " + refillPeriod);
        }
    }

    /** Time for an empty bucket to become full again (saturates instead of overflowing). */
    public Duration fullRefillTime() {
        try {
            long product = Math.multiplyExact(refillPeriod.toNanos(), capacity);
            return Duration.ofNanos(-Math.floorDiv(-product, refillTokens)); // rounded up
        } catch (ArithmeticException e) {
            return Duration.ofNanos(Long.MAX_VALUE);
        }
    }
}
