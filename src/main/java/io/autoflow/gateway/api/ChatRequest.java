package io.autoflow.gateway.api;

/**
 * A chat question after validation, whichever body shape it came in (the contract's or deep-chat's).
 * temperature and maxTokens are accepted for client compatibility; Autoflow has no such fields.
 */
public record ChatRequest(String sessionId, String message, String engine, Double temperature, Integer maxTokens,
        boolean stream) {

    public ChatRequest withStream(boolean value) {
        return new ChatRequest(sessionId, message, engine, temperature, maxTokens, value);
    }
}
