package io.autoflow.gateway.simulator;

import io.autoflow.gateway.autoflow.Source;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's "database": chats and their messages. Thread-safe. */
final class ChatStore {

    // Autoflow sends both shapes: created_at without fraction, updated_at/finished_at with micros and Z.
    private static final DateTimeFormatter PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private final ConcurrentHashMap<UUID, SimChat> chats = new ConcurrentHashMap<>();
    private final AtomicLong messageIds = new AtomicLong(60032); // the vectors' ids start at 60033
    private final Clock clock = Clock.systemUTC();

    String plainNow() {
        return LocalDateTime.now(clock).format(PLAIN);
    }

    String preciseNow() {
        return LocalDateTime.now(clock).format(PRECISE);
    }

    SimChat create(String title) {
        UUID id = UUID.randomUUID();
        SimChat chat = new SimChat(id, title, UUID.randomUUID().toString(), plainNow());
        chats.put(id, chat);
        return chat;
    }

    /** The chat, or null if unknown or soft-deleted. */
    SimChat findActive(UUID id) {
        SimChat c = chats.get(id);
        return c == null || c.deletedAt() != null ? null : c;
    }

    boolean softDelete(UUID id) {
        SimChat c = findActive(id);
        return c != null && c.markDeleted(plainNow());
    }

    MessageRecord findMessage(long id) {
        for (SimChat c : chats.values()) {
            if (c.deletedAt() == null) {
                for (MessageRecord m : c.messages()) {
                    if (m.id() == id) {
                        return m;
                    }
                }
            }
        }
        return null;
    }

    /** Stores a finished history message (a new chat keeps every request message but the last). */
    void appendHistory(SimChat chat, String role, String content) {
        String now = plainNow();
        chat.append(ordinal -> new MessageRecord(messageIds.incrementAndGet(), ordinal, role, content, null,
                List.of(), null, now, now, now, chat.id().toString(), null));
    }

    /** Appends the user question and an empty, unfinished assistant message. */
    Turn startTurn(SimChat chat, String question) {
        String now = plainNow();
        String trace = "https://us.cloud.langfuse.com/trace/" + UUID.randomUUID();
        String chatId = chat.id().toString();
        synchronized (chat) {
            int earlier = chat.size();
            MessageRecord user = chat.append(ordinal -> new MessageRecord(messageIds.incrementAndGet(), ordinal,
                    "user", question, null, List.of(), null, now, now, null, chatId, trace));
            MessageRecord assistant = chat.append(ordinal -> new MessageRecord(messageIds.incrementAndGet(), ordinal,
                    "assistant", "", null, List.of(), null, now, now, null, chatId, trace));
            return new Turn(chat, user, assistant, earlier, question);
        }
    }

    /** Marks both messages of a turn finished and returns the updated turn. */
    Turn finish(Turn t, String content, List<Source> sources) {
        String now = preciseNow();
        MessageRecord user = new MessageRecord(t.user().id(), t.user().ordinal(), "user", t.user().content(), null,
                List.of(), t.question(), t.user().createdAt(), now, now, t.user().chatId(), t.user().traceUrl());
        MessageRecord assistant = new MessageRecord(t.assistant().id(), t.assistant().ordinal(), "assistant", content,
                null, sources, t.question(), t.assistant().createdAt(), now, now, t.assistant().chatId(),
                t.assistant().traceUrl());
        t.chat().replace(user);
        t.chat().replace(assistant);
        return new Turn(t.chat(), user, assistant, t.earlierMessages(), t.question());
    }

    void fail(Turn t, String error) {
        MessageRecord a = t.assistant();
        t.chat().replace(new MessageRecord(a.id(), a.ordinal(), a.role(), a.content(), error, a.sources(),
                a.graphQuery(), a.createdAt(), preciseNow(), a.finishedAt(), a.chatId(), a.traceUrl()));
    }

    /** One stored message; immutable, so readers on other threads need no lock. graphQuery null = empty graph_data. */
    record MessageRecord(long id, int ordinal, String role, String content, String error, List<Source> sources,
                         String graphQuery, String createdAt, String updatedAt, String finishedAt, String chatId,
                         String traceUrl) {
    }

    /** The two messages of one question/answer exchange. */
    record Turn(SimChat chat, MessageRecord user, MessageRecord assistant, int earlierMessages, String question) {
    }

    interface MessageFactory {
        MessageRecord create(int ordinal);
    }

    static final class SimChat {
        private final UUID id;
        private final String title;
        private final String browserId;
        private final String createdAt;
        private volatile String deletedAt;
        private final List<MessageRecord> messages = new ArrayList<>();

        SimChat(UUID id, String title, String browserId, String createdAt) {
            this.id = id;
            this.title = title;
            this.browserId = browserId;
            this.createdAt = createdAt;
        }

        UUID id() {
            return id;
        }

        String title() {
            return title;
        }

        String browserId() {
            return browserId;
        }

        String createdAt() {
            return createdAt;
        }

        String deletedAt() {
            return deletedAt;
        }

        synchronized boolean markDeleted(String when) {
            if (deletedAt != null) {
                return false;
            }
            deletedAt = when;
            return true;
        }

        synchronized int size() {
            return messages.size();
        }

        synchronized MessageRecord append(MessageFactory factory) {
            MessageRecord m = factory.create(messages.size() + 1);
            messages.add(m);
            return m;
        }

        synchronized void replace(MessageRecord m) {
            messages.set(m.ordinal() - 1, m);
        }

        synchronized List<MessageRecord> messages() {
            return List.copyOf(messages);
        }
    }
}
