package io.autoflow.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Objects;

/**
 * One Bucket4j token bucket per client, in this gateway instance's memory.
 *
 * <p>Buckets idle for twice the full refill time are dropped: by then they are full, and a new
 * bucket starts full, so forgetting them changes nothing while keeping memory bounded by the
 * clients that are actually active.
 */
public final class BucketRateLimiter implements ClientRateLimiter {

    private final RateLimitSettings settings;
    private final TimeMeter timeMeter;
    private final Cache<String, Bucket> buckets;

    public BucketRateLimiter(RateLimitSettings settings, TimeMeter timeMeter) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timeMeter = Objects.requireNonNull(timeMeter, "timeMeter");
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(idleLimit(settings))
                .ticker(timeMeter::currentTimeNanos) // same time source as the buckets
                .build();
    }

    @Override
    public RateDecision tryAcquire(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        ConsumptionProbe probe = buckets.get(clientId, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        Duration resetAfter = Duration.ofNanos(Math.max(0, probe.getNanosToWaitForReset()));
        if (probe.isConsumed()) {
            return new RateDecision(true, settings.capacity(), probe.getRemainingTokens(), Duration.ZERO, resetAfter);
        }
        Duration retryAfter = Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
        return new RateDecision(false, settings.capacity(), probe.getRemainingTokens(), retryAfter, resetAfter);
    }

    private Bucket newBucket() {
        // Greedy refill: 60 a minute means one token a second, not 60 at once each minute.
        Bandwidth limit = Bandwidth.builder()
                .capacity(settings.capacity())
                .refillGreedy(settings.refillTokens(), settings.refillPeriod())
                .build();
        return Bucket.builder().addLimit(limit).withCustomTimePrecision(timeMeter).build();
    }

    private static Duration idleLimit(RateLimitSettings settings) {
        Duration full = settings.fullRefillTime();
        // Saturate instead of overflowing for absurd settings.
        return full.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(730) : full.multipliedBy(2);
    }
}
