package io.autoflow.gateway.observability;

import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gateway's own meters, in the registry Camel's route metrics use, so one Prometheus scrape has both.
 * Micrometer's dotted names become the contract's {@code autoflow_*} names in Prometheus.
 */
public final class GatewayMetrics {

    private final Counter clientDisconnects;

    public GatewayMetrics(MeterRegistry registry, Supplier<CircuitBreaker.State> breakerState) {
        Gauge.builder("autoflow.circuit.breaker.state", () -> stateValue(breakerState.get()))
                .description("Circuit breaker around Autoflow: 0 closed, 1 open, 2 half-open, 3 other (disabled, forced)")
                .register(registry);
        this.clientDisconnects = Counter.builder("autoflow.client.disconnects")
                .description("Streams whose client went away before the answer ended; the upstream call was aborted")
                .register(registry);
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
