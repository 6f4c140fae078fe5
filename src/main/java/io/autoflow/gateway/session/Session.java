package io.autoflow.gateway.session;

import java.time.Instant;
import java.util.Arrays;
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
 *
 * <p>A class, not a record, for what a turn leaves live: the history is kept packed
 * ({@link PackedMessages}), the last activity as two numbers, and a new version shares the old one's
 * metadata and messages. {@link #messages()} decodes on each call.
 */
public final class Session {

    private final String id;
    private final String clientId;
    private final String engine;
    private final Map<String, String> metadata;
    private final Instant createdAt;
    private final long lastSecond;
    private final int lastNano;
    private final String upstreamChatId;
    private final Object[] history; // PackedMessages entries, oldest first

    private static final Object[] NONE = {};

    public Session(String id, String clientId, String engine, Map<String, String> metadata,
                   Instant createdAt, Instant lastActivity, String upstreamChatId, List<ChatMessage> messages) {
        this(Objects.requireNonNull(id, "id"), Objects.requireNonNull(clientId, "clientId"), engine,
                copyOf(metadata), Objects.requireNonNull(createdAt, "createdAt"),
                Objects.requireNonNull(lastActivity, "lastActivity"), upstreamChatId, pack(messages));
    }

    private Session(String id, String clientId, String engine, Map<String, String> metadata, Instant createdAt,
                    Instant lastActivity, String upstreamChatId, Object[] history) {
        this.id = id;
        this.clientId = clientId;
        this.engine = engine;
        this.metadata = metadata;
        this.createdAt = createdAt;
        this.lastSecond = lastActivity.getEpochSecond();
        this.lastNano = lastActivity.getNano();
        this.upstreamChatId = upstreamChatId;
        this.history = history;
    }

    /** A new session with no history and no upstream chat yet. */
    public static Session start(String id, String clientId, String engine, Map<String, String> metadata,
                                Instant now) {
        return new Session(id, clientId, engine, metadata, now, now, null, List.of());
    }

    public String id() {
        return id;
    }

    public String clientId() {
        return clientId;
    }

    public String engine() {
        return engine;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastActivity() {
        return Instant.ofEpochSecond(lastSecond, lastNano);
    }

    public String upstreamChatId() {
        return upstreamChatId;
    }

    /** The history, oldest first, decoded afresh: read it once per use. */
    public List<ChatMessage> messages() {
        ChatMessage[] out = new ChatMessage[history.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = PackedMessages.unpack(history[i]);
        }
        return List.of(out);
    }

    public int messageCount() {
        return history.length;
    }

    public Session withUpstreamChatId(String chatId, Instant now) {
        return new Session(id, clientId, engine, metadata, createdAt, now, chatId, history);
    }

    /**
     * Appends a user message and the assistant's answer ({@code assistant} may be null when nothing
     * came back), then drops the oldest messages until the history fits {@code budget}.
     */
    public Session withTurn(ChatMessage user, ChatMessage assistant, Instant now, HistoryBudget budget) {
        Object[] all = Arrays.copyOf(history, history.length + (assistant == null ? 1 : 2));
        all[history.length] = PackedMessages.pack(Objects.requireNonNull(user, "user"));
        if (assistant != null) {
            all[history.length + 1] = PackedMessages.pack(assistant);
        }
        int keep = budget.keep(all.length, i -> PackedMessages.chars(all[i]));
        Object[] kept = keep == all.length ? all : Arrays.copyOfRange(all, all.length - keep, all.length);
        if (keep == 1 && PackedMessages.chars(kept[0]) > budget.maxChars()) {
            kept[0] = PackedMessages.pack(budget.fit(PackedMessages.unpack(kept[0])));
        }
        return new Session(id, clientId, engine, metadata, createdAt, now, upstreamChatId, kept);
    }

    /** Empty history and no upstream chat: the next message starts a new upstream conversation. */
    public Session cleared(Instant now) {
        return new Session(id, clientId, engine, metadata, createdAt, now, null, NONE);
    }

    public Session touched(Instant now) {
        return new Session(id, clientId, engine, metadata, createdAt, now, upstreamChatId, history);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Session s && id.equals(s.id) && clientId.equals(s.clientId)
                && Objects.equals(engine, s.engine) && metadata.equals(s.metadata) && createdAt.equals(s.createdAt)
                && lastSecond == s.lastSecond && lastNano == s.lastNano
                && Objects.equals(upstreamChatId, s.upstreamChatId) && messages().equals(s.messages());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, clientId, createdAt, lastSecond, lastNano, history.length);
    }

    // Omits the upstream chat id (a secret) and the message text (must not reach logs).
    @Override
    public String toString() {
        return "Session[id=" + id + ", clientId=" + clientId + ", engine=" + engine
                + ", metadataKeys=" + metadata.keySet() + ", createdAt=" + createdAt
                + ", lastActivity=" + lastActivity() + ", hasUpstreamChat=" + (upstreamChatId != null)
                + ", messageCount=" + history.length + "]";
    }

    private static Object[] pack(List<ChatMessage> messages) {
        if (messages == null) {
            return NONE;
        }
        return messages.stream().map(m -> PackedMessages.pack(Objects.requireNonNull(m, "message"))).toArray();
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
