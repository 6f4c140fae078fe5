package io.autoflow.gateway.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.autoflow.gateway.api.ClientIdentity;
import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import io.autoflow.gateway.ratelimit.ConcurrencyLimits;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/** Route step {@code limit-concurrency}: a permit per answer in flight, given back when the exchange ends. */
public final class ConcurrencyGuard {

    private static final String PERMIT = "concurrencyPermit";

    private final ConcurrencyLimits limits;

    public ConcurrencyGuard(ConcurrencyLimits limits) {
        this.limits = limits;
    }

    public void acquire(Exchange exchange) {
        ConcurrencyLimits.Decision decision = limits.tryAcquire(ClientIdentity.clientId(exchange));
        switch (decision.refusal()) {
            case CLIENT -> throw new GatewayException(ErrorCode.RATE_LIMITED, "This client already has "
                    + limits.settings().perClient() + " answers in flight; wait for one to finish",
                    Duration.ofSeconds(1), null);
            case TOTAL -> throw new GatewayException(ErrorCode.GATEWAY_BUSY,
                    "The gateway is answering as many questions as it can; try again shortly",
                    Duration.ofSeconds(1), null);
            default -> {
                AtomicBoolean released = new AtomicBoolean();
                Runnable release = () -> {
                    if (released.compareAndSet(false, true)) {
                        decision.permit().release();
                    }
                };
                exchange.setProperty(PERMIT, release);
                // The safety net: whatever way the exchange ends, the permit comes back.
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        release.run();
                    }
                });
            }
        }
    }

    /**
     * Gives the permit back before the answer's last byte, so a client that asks again the moment its
     * answer ends is not refused; called by the responders.
     */
    public static void release(Exchange exchange) {
        Runnable release = exchange.getProperty(PERMIT, Runnable.class);
        if (release != null) {
            release.run();
        }
    }
}
