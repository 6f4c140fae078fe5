package io.autoflow.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private static Session fresh() {
        return Session.start("s1", "alice", "default", Map.of("k", "v"), T0);
    }

    private static ChatMessage user(String text) {
        return ChatMessage.user(text, T0);
    }

    private static ChatMessage bot(String text) {
        return ChatMessage.assistant(text, T0, ChatMessage.STATUS_COMPLETE);
    }

    @Test
    void isImmutable() {
        Map<String, String> meta = new HashMap<>(Map.of("a", "1"));
        List<ChatMessage> msgs = new ArrayList<>(List.of(user("q")));
        Session s = new Session("s1", "alice", "default", meta, T0, T0, null, msgs);
        meta.put("b", "2");
        msgs.add(bot("a"));
        assertEquals(Map.of("a", "1"), s.metadata());
        assertEquals(1, s.messageCount());
        assertThrows(UnsupportedOperationException.class, () -> s.messages().add(user("x")));
        assertThrows(UnsupportedOperationException.class, () -> s.metadata().put("x", "y"));
    }

    @Test
    void withTurnAppendsBothAndTouches() {
        Session s = fresh().withTurn(user("q"), bot("a"), T1, new HistoryBudget(10, 1000));
        assertEquals(2, s.messageCount());
        assertEquals("user", s.messages().get(0).role());
        assertEquals("assistant", s.messages().get(1).role());
        assertEquals(T1, s.lastActivity());
        assertEquals(T0, s.createdAt());
    }

    @Test
    void budgetDropsOldestByCount() {
        HistoryBudget budget = new HistoryBudget(4, 1000);
        Session s = fresh();
        for (int i = 1; i <= 3; i++) {
            s = s.withTurn(user("q" + i), bot("a" + i), T1, budget);
        }
        assertEquals(List.of("q2", "a2", "q3", "a3"), s.messages().stream().map(ChatMessage::content).toList());
    }

    @Test
    void budgetDropsOldestByChars() {
        HistoryBudget budget = new HistoryBudget(100, 10);
        Session s = fresh().withTurn(user("aaaa"), bot("bbbb"), T1, budget); // 8 chars: fits
        s = s.withTurn(user("cc"), bot("dd"), T1, budget);                    // 12 total: drop oldest
        assertEquals(List.of("bbbb", "cc", "dd"), s.messages().stream().map(ChatMessage::content).toList());
    }

    @Test
    void turnsAndWideTextReadBackInOrder() {
        HistoryBudget budget = new HistoryBudget(10, 8);
        Session s = fresh().withTurn(user("\u5199\u5165\u5ef6\u8fdf"), bot("ab"), T1, budget); // 6 chars
        assertEquals(List.of("\u5199\u5165\u5ef6\u8fdf", "ab"), s.messages().stream().map(ChatMessage::content).toList());
        s = s.withTurn(user("c"), bot("\uD83D\uDE00"), T1, budget); // 9 chars in all: the oldest goes
        assertEquals(List.of("ab", "c", "\uD83D\uDE00"), s.messages().stream().map(ChatMessage::content).toList());
        Session rebuilt = new Session("s1", "alice", "default", Map.of("k", "v"), T0, T1, null, s.messages());
        assertEquals(rebuilt, s, "the same conversation built either way");
        assertEquals(rebuilt.hashCode(), s.hashCode());
    }

    @Test
    void budgetKeepsHistoryContiguous() {
        // The older small message would fit alone but must not survive past a gap.
        Session s = new Session("s1", "alice", "default", Map.of(), T0, T0, null, List.of(user("x"), bot("0123456789")))
                .withTurn(user("yy"), null, T1, new HistoryBudget(10, 11));
        assertEquals(List.of("yy"), s.messages().stream().map(ChatMessage::content).toList());
    }

    @Test
    void budgetAlwaysKeepsNewestCutToMaxChars() {
        Session s = fresh().withTurn(user("question"), bot("0123456789abcdef"), T1, new HistoryBudget(10, 5));
        assertEquals(1, s.messageCount());
        ChatMessage kept = s.messages().get(0);
        assertEquals("assistant", kept.role());
        assertEquals("01234", kept.content());
    }

    @Test
    void budgetCutNeverSplitsSurrogatePair() {
        String emoji = "ab\uD83D\uDE00cd"; // a b 😀 c d
        Session s = fresh().withTurn(user(emoji), null, T1, new HistoryBudget(1, 3));
        assertEquals("ab", s.messages().get(0).content());
    }

    @Test
    void budgetRejectsNonPositive() {
        assertThrows(IllegalArgumentException.class, () -> new HistoryBudget(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new HistoryBudget(10, 0));
    }

    @Test
    void interruptedAnswerKeepsPartialText() {
        ChatMessage partial = ChatMessage.assistant("half an ans", T1, ChatMessage.STATUS_INTERRUPTED);
        Session s = fresh().withTurn(user("q"), partial, T1, new HistoryBudget(10, 1000));
        assertEquals("interrupted", s.messages().get(1).status());
        assertEquals("half an ans", s.messages().get(1).content());
    }

    @Test
    void clearedDropsHistoryAndUpstreamChat() {
        Session s = fresh().withUpstreamChatId("chat-123", T0)
                .withTurn(user("q"), bot("a"), T0, new HistoryBudget(10, 100))
                .cleared(T1);
        assertEquals(0, s.messageCount());
        assertNull(s.upstreamChatId());
        assertEquals(T1, s.lastActivity());
        assertEquals("s1", s.id());
        assertEquals(Map.of("k", "v"), s.metadata());
    }

    @Test
    void withUpstreamChatIdAndTouched() {
        Session s = fresh().withUpstreamChatId("chat-123", T1);
        assertEquals("chat-123", s.upstreamChatId());
        assertEquals(T1, s.lastActivity());
        assertEquals(T1.plusSeconds(5), s.touched(T1.plusSeconds(5)).lastActivity());
        assertEquals("chat-123", s.touched(T1.plusSeconds(5)).upstreamChatId());
    }

    @Test
    void toStringOmitsSecretsAndText() {
        String secret = "5f0e-upstream-chat-secret";
        Session s = fresh().withUpstreamChatId(secret, T1)
                .withTurn(user("my private question"), bot("private answer"), T1, new HistoryBudget(10, 1000));
        String text = s.toString();
        assertFalse(text.contains(secret), text);
        assertFalse(text.contains("private"), text);
        assertTrue(text.contains("s1"));
        assertFalse(s.messages().get(0).toString().contains("private"));
    }

    @Test
    void nullMetadataEntriesAreDroppedAndOrderKept() {
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("z", "1");
        meta.put("a", null);
        meta.put("m", "2");
        Session s = Session.start("s1", "alice", null, meta, T0);
        assertEquals(List.of("z", "m"), List.copyOf(s.metadata().keySet()));
        assertEquals(Map.of(), Session.start("s2", "alice", null, null, T0).metadata());
    }

    @Test
    void closeReasonLabels() {
        assertEquals("deleted", CloseReason.DELETED.label());
        assertEquals("expired", CloseReason.EXPIRED.label());
    }
}
