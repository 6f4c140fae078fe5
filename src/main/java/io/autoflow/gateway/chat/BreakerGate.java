package io.autoflow.gateway.chat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Route steps {@code autoflow-breaker}, {@code breaker-success} and {@code breaker-failure}: the gateway's
 * resilience4j breaker around the call to Autoflow, as steps instead of Camel's {@code circuitBreaker} EIP.
 * The EIP runs its block synchronously, so every open stream held a parked thread and an exchange copy; as
 * steps, the call stays asynchronous end to end. The admitting step's MBean (JMX, Hawtio) carries the
 * breaker's state, counts and configured thresholds under the same attribute names the EIP used.
 */
@ManagedResource(description = "The circuit breaker around calls to Autoflow")
public final class BreakerGate implements Processor {

    /**
     * The call in the breaker, set while it is inside: the shared error handling (errors.camel.yaml) then
     * leaves its failures to the retrying route and to the {@code breaker-failure} catch.
     */
    private static final String CALL = "breakerCall";

    private final UpstreamBreaker upstream;
    private final CircuitBreaker breaker;

    public BreakerGate(UpstreamBreaker upstream) {
        this.upstream = upstream;
        this.breaker = upstream.circuitBreaker();
    }

    /** {@code autoflow-breaker}: lets the call through, or refuses it while the breaker is open (503). */
    @Override
    public void process(Exchange exchange) {
        if (!breaker.tryAcquirePermission()) {
            throw CallNotPermittedException.createCallNotPermittedException(breaker);
        }
        Call call = new Call(breaker.getCurrentTimestamp());
        exchange.setProperty(CALL, call);
        exchange.getExchangeExtension().addOnCompletion(call);
    }

    /** {@code breaker-success}: the answer was relayed in full. */
    public void succeeded(Exchange exchange) {
        Call call = leave(exchange);
        if (call != null && call.settle()) {
            breaker.onSuccess(call.elapsed(), breaker.getTimestampUnit());
        }
    }

    /** {@code breaker-failure}: counts the failure; the steps after it answer the client with the error. */
    public void failed(Exchange exchange) {
        Call call = leave(exchange);
        if (call != null && call.settle()) {
            breaker.onError(call.elapsed(), breaker.getTimestampUnit(),
                    exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        }
    }

    private Call leave(Exchange exchange) {
        return (Call) exchange.removeProperty(CALL);
    }

    /** One call's permission; given back if the exchange ends without an outcome (it must not leak when half open). */
    private final class Call extends SynchronizationAdapter {
        private final long start;
        private boolean settled;

        Call(long start) {
            this.start = start;
        }

        long elapsed() {
            return breaker.getCurrentTimestamp() - start;
        }

        synchronized boolean settle() {
            boolean first = !settled;
            settled = true;
            return first;
        }

        @Override
        public void onDone(Exchange exchange) {
            if (settle()) {
                breaker.releasePermission();
            }
        }
    }

    @ManagedAttribute(description = "CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED or METRICS_ONLY")
    public String getCircuitBreakerState() {
        return breaker.getState().name();
    }

    @ManagedAttribute(description = "Failure rate over the sliding window, percent (-1 until the minimum number of calls)")
    public float getFailureRate() {
        return breaker.getMetrics().getFailureRate();
    }

    @ManagedAttribute(description = "Slow call rate over the sliding window, percent")
    public float getSlowCallRate() {
        return breaker.getMetrics().getSlowCallRate();
    }

    @ManagedAttribute(description = "Calls in the sliding window")
    public int getNumberOfBufferedCalls() {
        return breaker.getMetrics().getNumberOfBufferedCalls();
    }

    @ManagedAttribute(description = "Failed calls in the sliding window")
    public int getNumberOfFailedCalls() {
        return breaker.getMetrics().getNumberOfFailedCalls();
    }

    @ManagedAttribute(description = "Successful calls in the sliding window")
    public int getNumberOfSuccessfulCalls() {
        return breaker.getMetrics().getNumberOfSuccessfulCalls();
    }

    @ManagedAttribute(description = "Slow calls in the sliding window")
    public int getNumberOfSlowCalls() {
        return breaker.getMetrics().getNumberOfSlowCalls();
    }

    @ManagedAttribute(description = "Calls refused while open, since the last state change")
    public long getNumberOfNotPermittedCalls() {
        return breaker.getMetrics().getNumberOfNotPermittedCalls();
    }

    @ManagedAttribute(description = "Failure rate that opens the breaker, percent (autoflow.breaker.failure-rate)")
    public float getCircuitBreakerFailureRateThreshold() {
        return config().getFailureRateThreshold();
    }

    @ManagedAttribute(description = "Slow call rate that opens the breaker, percent")
    public float getCircuitBreakerSlowCallRateThreshold() {
        return config().getSlowCallRateThreshold();
    }

    @ManagedAttribute(description = "Calls in the sliding window")
    public int getCircuitBreakerSlidingWindowSize() {
        return config().getSlidingWindowSize();
    }

    @ManagedAttribute(description = "Calls before the failure rate counts")
    public int getCircuitBreakerMinimumNumberOfCalls() {
        return config().getMinimumNumberOfCalls();
    }

    @ManagedAttribute(description = "Probe calls let through while half open")
    public int getCircuitBreakerPermittedNumberOfCallsInHalfOpenState() {
        return config().getPermittedNumberOfCallsInHalfOpenState();
    }

    @ManagedAttribute(description = "Time open before probing, milliseconds")
    public long getCircuitBreakerWaitDurationInOpenState() {
        return upstream.waitInOpenState().toMillis();
    }

    @ManagedOperation(description = "Close the breaker and clear its counts")
    public void reset() {
        breaker.reset();
    }

    @ManagedOperation(description = "Open the breaker until transitionToClosedState or reset")
    public void transitionToForcedOpenState() {
        breaker.transitionToForcedOpenState();
    }

    @ManagedOperation(description = "Close the breaker")
    public void transitionToClosedState() {
        breaker.transitionToClosedState();
    }

    private CircuitBreakerConfig config() {
        return breaker.getCircuitBreakerConfig();
    }
}
