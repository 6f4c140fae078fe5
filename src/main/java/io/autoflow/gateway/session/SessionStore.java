package io.autoflow.gateway.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where sessions live. Storage-neutral so a shared (e.g. Redis) store can replace the in-memory one.
 * Every lookup takes the caller's client id: a session owned by another client is treated exactly
 * like a missing one, so callers answer 404 and leak nothing.
 */
public interface SessionStore {

    /** @throws SessionLimitReachedException when the maximum number of sessions is live */
    Session create(String clientId, String engine, Map<String, String> metadata);

    /** Empty when absent, expired or owned by another client. Does not extend the TTL. */
    Optional<Session> find(String id, String clientId);

    /**
     * Atomic read-modify-write; counts as use, so it extends the TTL. {@code change} must keep the
     * session's id and client id and must be quick (it may run under a lock).
     */
    Optional<Session> update(String id, String clientId, UnaryOperator<Session> change);

    /** The caller's own live sessions, newest first. */
    List<Session> list(String clientId);

    /** True if the session existed and belonged to the caller. */
    boolean delete(String id, String clientId);

    /** Live sessions. */
    int size();

    /** Evicts expired sessions now. */
    void cleanUp();

    /** When the session expires unless it is used again. */
    Instant expiresAt(Session s);
}
