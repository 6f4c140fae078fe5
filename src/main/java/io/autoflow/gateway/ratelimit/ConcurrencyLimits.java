package io.autoflow.gateway.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;

/**
 * Caps on answers in flight, per client and in total, so a few clients' long streams cannot take every
 * worker thread. Resilience4j bulkheads that never wait: over the cap is an immediate refusal.
 */
public final class ConcurrencyLimits {

    /** Immutable settings, from {@code gateway.concurrency.*}. */
    public record Settings(int perClient, int total) {
    }

    /** What a caller must give back when its answer ends. */
    public interface Permit {
        void release();
    }

    /** Which cap refused the request. */
    public enum Refusal { NONE, CLIENT, TOTAL }

    public record Decision(Refusal refusal, Permit permit) {
    }

    private final Settings settings;
    private final Bulkhead total;
    private final LoadingCache<String, Bulkhead> perClient;

    public ConcurrencyLimits(Settings settings) {
        this.settings = settings;
        this.total = Bulkhead.of("gateway-total", config(settings.total()));
        // A client's bulkhead lives while it is used; its permits travel with each request, so an evicted
        // one is released correctly even after a new one took its place.
        this.perClient = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30))
                .build(client -> Bulkhead.of("client", config(settings.perClient())));
    }

    public Settings settings() {
        return settings;
    }

    public Decision tryAcquire(String clientId) {
        Bulkhead client = perClient.get(clientId);
        if (!client.tryAcquirePermission()) {
            return new Decision(Refusal.CLIENT, null);
        }
        if (!total.tryAcquirePermission()) {
            client.onComplete();
            return new Decision(Refusal.TOTAL, null);
        }
        return new Decision(Refusal.NONE, () -> {
            total.onComplete();
            client.onComplete();
        });
    }

    public int inFlight() {
        return settings.total() - total.getMetrics().getAvailableConcurrentCalls();
    }

    private static BulkheadConfig config(int max) {
        return BulkheadConfig.custom().maxConcurrentCalls(max).maxWaitDuration(Duration.ZERO).build();
    }
}
