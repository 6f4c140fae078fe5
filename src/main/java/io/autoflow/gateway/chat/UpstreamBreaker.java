package io.autoflow.gateway.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The circuit breaker around calls to Autoflow. The gateway builds it (rather than letting the Camel EIP
 * build one) so health, metrics and {@code Retry-After} can read its state and the time it opened.
 */
public final class UpstreamBreaker {

    /** Immutable settings, from {@code autoflow.breaker.*}. */
    public record Settings(float failureRateThreshold, float slowCallRateThreshold, Duration slowCallDuration,
            int slidingWindowSize, int minimumNumberOfCalls, Duration waitInOpenState, int halfOpenCalls) {
    }

    private final CircuitBreaker breaker;
    private final Duration waitInOpenState;
    private final Clock clock;
    private volatile Instant openedAt = Instant.EPOCH;

    public UpstreamBreaker(Settings settings, Clock clock) {
        this.clock = clock;
        this.waitInOpenState = settings.waitInOpenState();
        this.breaker = CircuitBreaker.of("autoflow", CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slowCallRateThreshold(settings.slowCallRateThreshold())
                .slowCallDurationThreshold(settings.slowCallDuration())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
            }
        });
    }

    /** The resilience4j breaker; the route's {@link BreakerGate} steps admit calls and record their outcomes. */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    public Duration waitInOpenState() {
        return waitInOpenState;
    }

    /** Time left until the breaker lets a probe through; at least one second. */
    public Duration retryAfter() {
        Duration left = Duration.between(clock.instant(), openedAt.plus(waitInOpenState));
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }
}
