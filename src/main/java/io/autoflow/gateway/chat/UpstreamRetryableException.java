package io.autoflow.gateway.chat;

import java.time.Duration;

import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;

/**
 * Autoflow answered with a status worth asking again (429 or 5xx). Carries the answer the client gets
 * if the retries run out, and the upstream's Retry-After, if it sent one.
 */
public final class UpstreamRetryableException extends GatewayException {

    private final int status;

    public UpstreamRetryableException(int status, ErrorCode code, String message, Duration retryAfter) {
        super(code, message, retryAfter, null);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
