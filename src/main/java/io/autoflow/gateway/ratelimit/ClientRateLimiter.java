package io.autoflow.gateway.ratelimit;

/** Per-client request limit. Storage-neutral so a shared (e.g. Redis) limiter can replace it. */
public interface ClientRateLimiter {

    /** Takes one token from the client's bucket if there is one. */
    RateDecision tryAcquire(String clientId);
}
