package io.autoflow.gateway.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer for one request.
 *
 * @param allowed     whether the request may go on
 * @param limit       the bucket's capacity (for {@code X-RateLimit-Limit})
 * @param remaining   tokens left after this request
 * @param retryAfter  zero when allowed; otherwise how long until one token is back
 * @param resetAfter  how long until the bucket is full again
 */
public record RateDecision(boolean allowed, long limit, long remaining, Duration retryAfter, Duration resetAfter) {

    public RateDecision {
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(resetAfter, "resetAfter");
    }

    /** {@code Retry-After} in whole seconds, rounded up: a client that waits that long succeeds. */
    public long retryAfterSeconds() {
        return ceilSeconds(retryAfter);
    }

    /** Time until full, in whole seconds rounded up (for {@code X-RateLimit-Reset}). */
    public long resetAfterSeconds() {
        return ceilSeconds(resetAfter);
    }

    private static long ceilSeconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }
}
