package io.autoflow.gateway.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How much history a session keeps: at most {@code maxMessages} messages whose contents total at
 * most {@code maxChars} characters. The most recent messages win; the newest one is always kept,
 * cut to {@code maxChars} if it alone is larger.
 */
public record HistoryBudget(int maxMessages, int maxChars) {

    public HistoryBudget {
        if (maxMessages <= 0) {
            throw new IllegalArgumentException("maxMessages must be > 0, was " + maxMessages);
        }
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be > 0, was " + maxChars);
        }
    }

    /** The most recent messages of {@code messages} (oldest first) that fit this budget. */
    public List<ChatMessage> apply(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<ChatMessage> kept = new ArrayList<>();
        int chars = 0;
        for (int i = messages.size() - 1; i >= 0 && kept.size() < maxMessages; i--) {
            ChatMessage m = messages.get(i);
            int len = m.content().length();
            if (kept.isEmpty() && len > maxChars) {
                kept.add(m.withContent(cut(m.content(), maxChars)));
                break; // the cut newest message fills the whole budget
            }
            if (chars + len > maxChars) {
                break; // stop at the first that does not fit: history stays contiguous
            }
            kept.add(m);
            chars += len;
        }
        Collections.reverse(kept);
        return List.copyOf(kept);
    }

    // Keeps the beginning; never splits a surrogate pair.
    private static String cut(String s, int max) {
        int end = max;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
