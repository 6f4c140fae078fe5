package io.autoflow.gateway.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable conversation owned by one client. Changes return a new instance, so a store can swap
 * values atomically.
 *
 * <p>{@code upstreamChatId} is the Autoflow chat this session continues. Anyone holding it could
 * read the upstream conversation, so it is never serialised to clients and never printed by
 * {@link #toString()}.
 */
public record Session(String id, String clientId, String engine, Map<String, String> metadata,
                      Instant createdAt, Instant lastActivity, String upstreamChatId,
                      List<ChatMessage> messages) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivity, "lastActivity");
        metadata = copyOf(metadata);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** A new session with no history and no upstream chat yet. */
    public static Session start(String id, String clientId, String engine, Map<String, String> metadata,
                                Instant now) {
        return new Session(id, clientId, engine, metadata, now, now, null, List.of());
    }

    public Session withUpstreamChatId(String chatId, Instant now) {
        return new Session(id, clientId, engine, metadata, createdAt, now, chatId, messages);
    }

    /**
     * Appends a user message and the assistant's answer ({@code assistant} may be null when nothing
     * came back), then drops the oldest messages until the history fits {@code budget}.
     */
    public Session withTurn(ChatMessage user, ChatMessage assistant, Instant now, HistoryBudget budget) {
        List<ChatMessage> next = new ArrayList<>(messages.size() + 2);
        next.addAll(messages);
        next.add(Objects.requireNonNull(user, "user"));
        if (assistant != null) {
            next.add(assistant);
        }
        return new Session(id, clientId, engine, metadata, createdAt, now, upstreamChatId, budget.apply(next));
    }

    /** Empty history and no upstream chat: the next message starts a new upstream conversation. */
    public Session cleared(Instant now) {
        return new Session(id, clientId, engine, metadata, createdAt, now, null, List.of());
    }

    public Session touched(Instant now) {
        return new Session(id, clientId, engine, metadata, createdAt, now, upstreamChatId, messages);
    }

    public int messageCount() {
        return messages.size();
    }

    // Omits the upstream chat id (a secret) and the message text (must not reach logs).
    @Override
    public String toString() {
        return "Session[id=" + id + ", clientId=" + clientId + ", engine=" + engine
                + ", metadataKeys=" + metadata.keySet() + ", createdAt=" + createdAt
                + ", lastActivity=" + lastActivity + ", hasUpstreamChat=" + (upstreamChatId != null)
                + ", messageCount=" + messages.size() + "]";
    }

    // Keeps the client's key order (it shows in JSON answers); null keys or values are dropped
    // rather than failing the whole request.
    private static Map<String, String> copyOf(Map<String, String> source) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        source.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
