package io.autoflow.gateway.chat;

import io.autoflow.gateway.api.ClientIdentity;
import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import io.autoflow.gateway.api.HttpExchanges;
import io.autoflow.gateway.ratelimit.ClientRateLimiter;
import io.autoflow.gateway.ratelimit.RateDecision;
import org.apache.camel.Exchange;

/** Route step {@code throttle-client}: one token from the client's bucket, with the RateLimit-* headers. */
public final class ClientThrottle {

    private final ClientRateLimiter limiter;

    public ClientThrottle(ClientRateLimiter limiter) {
        this.limiter = limiter;
    }

    public void acquire(Exchange exchange) {
        RateDecision decision = limiter.tryAcquire(ClientIdentity.clientId(exchange));
        HttpExchanges.addHeader(exchange, "RateLimit-Limit", Long.toString(decision.limit()));
        HttpExchanges.addHeader(exchange, "RateLimit-Remaining", Long.toString(decision.remaining()));
        HttpExchanges.addHeader(exchange, "RateLimit-Reset", Long.toString(ceilSeconds(decision.resetAfter().toMillis())));
        if (!decision.allowed()) {
            throw new GatewayException(ErrorCode.RATE_LIMITED,
                    "Too many requests from this client; retry after the time in Retry-After",
                    decision.retryAfter(), null);
        }
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
