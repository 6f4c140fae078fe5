package io.autoflow.gateway.session;

import java.time.Instant;
import java.util.Objects;

/**
 * One turn of a conversation. Assistant turns that did not finish keep their partial text with
 * status {@code interrupted} or {@code failed}, so the history shows what the user actually saw.
 */
public record ChatMessage(String role, String content, Instant createdAt, String status) {

    public static final String ROLE_USER = "user";
    public static final String ROLE_ASSISTANT = "assistant";
    public static final String STATUS_COMPLETE = "complete";
    public static final String STATUS_INTERRUPTED = "interrupted";
    public static final String STATUS_FAILED = "failed";

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        content = content == null ? "" : content;
        status = status == null ? STATUS_COMPLETE : status;
    }

    public static ChatMessage user(String content, Instant createdAt) {
        return new ChatMessage(ROLE_USER, content, createdAt, STATUS_COMPLETE);
    }

    public static ChatMessage assistant(String content, Instant createdAt, String status) {
        return new ChatMessage(ROLE_ASSISTANT, content, createdAt, status);
    }

    /** Same message with its content replaced (used when the history budget cuts it). */
    public ChatMessage withContent(String newContent) {
        return new ChatMessage(role, newContent, createdAt, status);
    }

    // Message text must not reach logs unless body logging is on: print its length only.
    @Override
    public String toString() {
        return "ChatMessage[role=" + role + ", chars=" + content.length()
                + ", createdAt=" + createdAt + ", status=" + status + "]";
    }
}
