package io.autoflow.gateway.observability;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The contract's {@code autoflow_*} meters, in the registry Camel's route metrics use, so one Prometheus
 * scrape has both. Labels are bounded: endpoints are route names, statuses and codes are finite sets;
 * never a session id or user text.
 */
public final class GatewayMetrics {

    // LLM answers take seconds: buckets from 50 ms to 5 minutes.
    private static final Duration[] SECONDS_BUCKETS = { Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300) };
    private static final double[] BYTES_BUCKETS = { 256, 1024, 4096, 16384, 65536, 262144, 1048576 };

    private final MeterRegistry registry;
    private final Timer firstToken;
    private final DistributionSummary responseSize;
    private final Counter clientDisconnects;
    private final Counter rateLimited;
    private final Counter sessionsCreated;

    public GatewayMetrics(MeterRegistry registry, Supplier<CircuitBreaker.State> breakerState) {
        this.registry = registry;
        Gauge.builder("autoflow.circuit.breaker.state", () -> stateValue(breakerState.get()))
                .description("Circuit breaker around Autoflow: 0 closed, 1 open, 2 half-open, 3 other (disabled, forced)")
                .register(registry);
        this.firstToken = Timer.builder("autoflow.time.to.first.token")
                .description("From the request to the first piece of answer text")
                .serviceLevelObjectives(SECONDS_BUCKETS).register(registry);
        this.responseSize = DistributionSummary.builder("autoflow.response.size").baseUnit("bytes")
                .description("Bytes of each answer's body, streamed or not")
                .serviceLevelObjectives(BYTES_BUCKETS).register(registry);
        this.clientDisconnects = Counter.builder("autoflow.client.disconnects")
                .description("Streams whose client went away before the answer ended; the upstream call was aborted")
                .register(registry);
        this.rateLimited = Counter.builder("autoflow.rate.limited")
                .description("Requests refused by a rate or concurrency limit").register(registry);
        // The Prometheus client reserves the "_created" suffix (OpenMetrics creation timestamps) and would
        // strip it from "autoflow_sessions_created_total": hence "opened".
        this.sessionsCreated = Counter.builder("autoflow.sessions.opened")
                .description("Sessions created (the contract's autoflow_sessions_created_total)").register(registry);
        // Both reasons exist from the start, so dashboards and alerts see zeros rather than no series.
        for (String reason : new String[] { "deleted", "expired" }) {
            Counter.builder("autoflow.sessions.closed").tag("reason", reason).register(registry);
        }
    }

    /** The live-session gauge reads the store when scraped. */
    public <T> void sessionsActive(T store, ToDoubleFunction<T> size) {
        Gauge.builder("autoflow.sessions.active", store, size).strongReference(true).register(registry);
    }

    public void request(String endpoint, int status, long nanos, long responseBytes) {
        Counter.builder("autoflow.requests").tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .register(registry).increment();
        Timer.builder("autoflow.request.duration").tag("endpoint", endpoint)
                .serviceLevelObjectives(SECONDS_BUCKETS).register(registry).record(Duration.ofNanos(nanos));
        if (responseBytes >= 0) {
            responseSize.record(responseBytes);
        }
    }

    public void error(String code) {
        Counter.builder("autoflow.request.errors").tag("code", code).register(registry).increment();
        if ("rate_limited".equals(code)) {
            rateLimited.increment();
        }
    }

    public void tokens(int prompt, int completion) {
        Counter.builder("autoflow.tokens.consumed").tag("type", "prompt").register(registry).increment(prompt);
        Counter.builder("autoflow.tokens.consumed").tag("type", "completion").register(registry).increment(completion);
    }

    public void firstToken(long nanos) {
        firstToken.record(Duration.ofNanos(nanos));
    }

    public void sessionCreated() {
        sessionsCreated.increment();
    }

    public void sessionClosed(String reason) {
        Counter.builder("autoflow.sessions.closed").tag("reason", reason).register(registry).increment();
    }

    public void clientDisconnected() {
        clientDisconnects.increment();
    }

    private static int stateValue(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        };
    }
}
