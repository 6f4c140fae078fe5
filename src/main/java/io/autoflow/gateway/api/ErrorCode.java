package io.autoflow.gateway.api;

/** The contract's error codes and the HTTP status each one answers with. */
public enum ErrorCode {
    INVALID_REQUEST(400),
    UNAUTHORIZED(401),
    SESSION_NOT_FOUND(404),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMITED(429),
    SESSION_LIMIT_REACHED(429),
    INTERNAL_ERROR(500),
    UPSTREAM_ERROR(502),
    UPSTREAM_UNAVAILABLE(503),
    UPSTREAM_TIMEOUT(504),
    GATEWAY_BUSY(503),
    SHUTTING_DOWN(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
