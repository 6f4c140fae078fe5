package io.autoflow.gateway.session;

import java.util.function.IntUnaryOperator;

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

    /**
     * How many of the newest of {@code count} messages fit, given each one's length in chars by index
     * (oldest first). At least one when there is one: the newest alone may need {@link #fit}.
     * {@link Session#withTurn} is the one caller; it keeps entries packed, so lengths come by index.
     */
    public int keep(int count, IntUnaryOperator charsAt) {
        int kept = 0;
        int chars = 0;
        for (int i = count - 1; i >= 0 && kept < maxMessages; i--) {
            int len = charsAt.applyAsInt(i);
            if (kept == 0 && len > maxChars) {
                return 1; // the cut newest message fills the whole budget
            }
            if (chars + len > maxChars) {
                break; // stop at the first that does not fit: history stays contiguous
            }
            kept++;
            chars += len;
        }
        return kept;
    }

    /** {@code m}, its content cut to {@code maxChars} when longer; keeps the beginning. */
    public ChatMessage fit(ChatMessage m) {
        String s = m.content();
        if (s.length() <= maxChars) {
            return m;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return m.withContent(s.substring(0, end));
    }
}
