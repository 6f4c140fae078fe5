package io.autoflow.gateway.chat;

/** Autoflow answered 404 for the session's chat (deleted, or lost by the upstream): recover with a new one. */
public final class UpstreamChatLostException extends RuntimeException {

    public UpstreamChatLostException() {
        super("upstream chat not found", null, false, false);
    }
}
