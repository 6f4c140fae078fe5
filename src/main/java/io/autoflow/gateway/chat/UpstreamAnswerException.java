package io.autoflow.gateway.chat;

import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;

/** Autoflow began answering and then failed (a {@code 3:} line, a cut-off or unreadable stream). */
public final class UpstreamAnswerException extends GatewayException {

    public UpstreamAnswerException(String message, Throwable cause) {
        this(ErrorCode.UPSTREAM_ERROR, message, cause);
    }

    public UpstreamAnswerException(ErrorCode code, String message, Throwable cause) {
        super(code, message, null, cause);
    }
}
