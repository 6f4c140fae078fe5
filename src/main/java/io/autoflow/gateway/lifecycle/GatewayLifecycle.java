package io.autoflow.gateway.lifecycle;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import io.autoflow.gateway.chat.UpstreamCalls;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown: once the context starts stopping, new work is refused with 503 and
 * {@code Retry-After}, open answers get {@code gateway.shutdown.grace} to finish, and any still open then
 * are ended with an error event (and recorded as failed) before Camel's own shutdown timeout.
 */
public final class GatewayLifecycle extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayLifecycle.class);
    private final Duration grace;
    private final UpstreamCalls calls;
    private final ScheduledExecutorService timer;
    private volatile boolean draining;

    public GatewayLifecycle(Duration grace, UpstreamCalls calls, ScheduledExecutorService timer) {
        this.grace = grace;
        this.calls = calls;
        this.timer = timer;
    }

    public boolean draining() {
        return draining;
    }

    /** Route step {@code refuse-when-draining}; also used by the HTTP fallback for removed routes. */
    public void admit() {
        if (draining) {
            throw shuttingDown();
        }
    }

    public static GatewayException shuttingDown() {
        return new GatewayException(ErrorCode.SHUTTING_DOWN,
                "The gateway is shutting down; retry shortly (another instance may answer)", Duration.ofSeconds(5),
                null);
    }

    @Override
    public synchronized void onContextStopping(CamelContext context) {
        if (draining) {
            return;
        }
        draining = true;
        LOG.info("shutting down: refusing new requests, open answers have {} s to finish", grace.toSeconds());
        timer.schedule(() -> {
            int ended = calls.abortAll(shuttingDown());
            if (ended > 0) {
                LOG.warn("shutdown grace period over: ended {} open answers with an error", ended);
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
