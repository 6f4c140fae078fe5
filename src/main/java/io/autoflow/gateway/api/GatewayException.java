package io.autoflow.gateway.api;

import java.time.Duration;

/**
 * A failure the client must see as the contract's error body. The message is shown to clients, so it
 * never carries keys, upstream chat ids or upstream bodies beyond their human-readable detail.
 */
public class GatewayException extends RuntimeException {

    private final ErrorCode code;
    private final Duration retryAfter;

    public GatewayException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public GatewayException(ErrorCode code, String message, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    /** When set, the answer carries {@code Retry-After}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
