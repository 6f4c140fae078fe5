package io.autoflow.gateway.session;

import java.time.Duration;
import java.util.Objects;

/**
 * @param ttl             how long a session lives after its last use
 * @param maxSessions     live sessions allowed at once; creation beyond it is refused, never evicts
 * @param cleanupInterval how often the timer route evicts expired sessions
 * @param history         how much conversation each session keeps
 */
public record SessionSettings(Duration ttl, int maxSessions, Duration cleanupInterval, HistoryBudget history) {

    public SessionSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(cleanupInterval, "cleanupInterval");
        Objects.requireNonNull(history, "history");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        if (cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("cleanupInterval must be positive, was " + cleanupInterval);
        }
        if (maxSessions <= 0) {
            throw new IllegalArgumentException("maxSessions must be > 0, was " + maxSessions);
        }
    }
}
