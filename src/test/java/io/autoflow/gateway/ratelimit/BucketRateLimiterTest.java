package io.autoflow.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BucketRateLimiterTest {

    /** Time that moves only when the test says so. */
    private static final class TestTimeMeter implements TimeMeter {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    private final TestTimeMeter time = new TestTimeMeter();
    private final BucketRateLimiter limiter = new BucketRateLimiter(RateLimitSettings.DEFAULT, time);

    @Test
    void burstOfTenThenDeniedForAboutOneSecond() {
        for (int i = 1; i <= 10; i++) {
            RateDecision d = limiter.tryAcquire("alice");
            assertTrue(d.allowed(), "request " + i);
            assertEquals(10, d.limit());
            assertEquals(10 - i, d.remaining());
            assertEquals(Duration.ZERO, d.retryAfter());
        }
        RateDecision denied = limiter.tryAcquire("alice");
        assertFalse(denied.allowed());
        assertEquals(10, denied.limit());
        assertEquals(0, denied.remaining());
        assertEquals(Duration.ofSeconds(1), denied.retryAfter()); // 60/min refills one token a second
        assertEquals(1, denied.retryAfterSeconds());
        assertEquals(Duration.ofSeconds(10), denied.resetAfter());
    }

    @Test
    void refillsOverTime() {
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("alice");
        }
        assertFalse(limiter.tryAcquire("alice").allowed());
        time.advance(Duration.ofMillis(500));
        RateDecision half = limiter.tryAcquire("alice");
        assertFalse(half.allowed());
        assertEquals(Duration.ofMillis(500), half.retryAfter());
        assertEquals(1, half.retryAfterSeconds());

        time.advance(Duration.ofMillis(500));
        assertTrue(limiter.tryAcquire("alice").allowed());
        assertFalse(limiter.tryAcquire("alice").allowed());

        time.advance(Duration.ofSeconds(3));
        RateDecision d = limiter.tryAcquire("alice");
        assertTrue(d.allowed());
        assertEquals(2, d.remaining());
    }

    @Test
    void neverRefillsBeyondCapacity() {
        limiter.tryAcquire("alice");
        time.advance(Duration.ofHours(1));
        RateDecision d = limiter.tryAcquire("alice");
        assertEquals(9, d.remaining());
        assertEquals(Duration.ofSeconds(1), d.resetAfter());
    }

    @Test
    void oneClientsFloodDoesNotLimitAnother() {
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("flooder");
        }
        assertFalse(limiter.tryAcquire("flooder").allowed());
        RateDecision other = limiter.tryAcquire("quiet");
        assertTrue(other.allowed());
        assertEquals(9, other.remaining());
    }

    @Test
    void idleBucketsAreForgottenWithoutChangingTheAnswer() {
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("alice");
        }
        time.advance(Duration.ofMinutes(5)); // well past 2x the 10 s full refill
        RateDecision d = limiter.tryAcquire("alice");
        assertTrue(d.allowed());
        assertEquals(9, d.remaining());
    }

    @Test
    void settingsValidateAndComputeFullRefill() {
        assertEquals(Duration.ofSeconds(10), RateLimitSettings.DEFAULT.fullRefillTime());
        assertEquals(Duration.ofNanos(333_333_334), new RateLimitSettings(1, 3, Duration.ofSeconds(1)).fullRefillTime());
        assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(0, 60, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(10, 0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(10, 60, Duration.ZERO));
    }

    @Test
    void customSettings() {
        BucketRateLimiter strict = new BucketRateLimiter(new RateLimitSettings(2, 1, Duration.ofSeconds(30)), time);
        assertTrue(strict.tryAcquire("c").allowed());
        assertTrue(strict.tryAcquire("c").allowed());
        RateDecision d = strict.tryAcquire("c");
        assertFalse(d.allowed());
        assertEquals(2, d.limit());
        assertEquals(30, d.retryAfterSeconds());
    }
}
