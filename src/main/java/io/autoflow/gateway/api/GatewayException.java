package io.autoflow.gateway.api;

import java.time.Duration;

/**
 * A failure the client must see as the contract's error body. The message is shown to clients, so it
 * never carries keys, upstream chat ids or upstream bodies beyond their human-readable detail.
 */
public class GatewayException extends RuntimeException {

    private final ErrorCode code;
    private final Duration retryAfter;

    /** A 400 invalid_request: the form YAML routes use, e.g. {@code throwException} with only a message. */
    public GatewayException(String message) {
        this(ErrorCode.INVALID_REQUEST, message);
    }

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
