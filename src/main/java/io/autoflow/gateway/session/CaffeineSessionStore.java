package io.autoflow.gateway.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-memory sessions for a single gateway instance.
 *
 * <p>Expiry is computed from each session's {@code lastActivity}, so reads leave it alone and
 * updates (which touch the session) push it back. Caffeine's clock is derived from the given
 * {@link Clock}, so tests can move time. No {@code maximumSize}: at the limit, creation is refused
 * instead of silently evicting somebody's conversation.
 */
public final class CaffeineSessionStore implements SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(CaffeineSessionStore.class);

    private static final Comparator<Session> NEWEST_FIRST =
            Comparator.comparing(Session::createdAt).reversed().thenComparing(Session::id);

    private final SessionSettings settings;
    private final Clock clock;
    private final SessionListener listener;
    private final Instant tickerOrigin;
    private final Cache<String, Session> cache;
    // Serialises the check-then-insert of create, so concurrent creates cannot overshoot the limit.
    private final Object createLock = new Object();

    public CaffeineSessionStore(SessionSettings settings, Clock clock, SessionListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = listener == null ? SessionListener.NONE : listener;
        this.tickerOrigin = clock.instant();
        this.cache = Caffeine.newBuilder()
                .ticker(() -> toTicks(clock.instant()))
                .expireAfter(new LastActivityExpiry())
                // Removal callbacks run on the calling thread: deterministic, and the listener is cheap.
                .executor(Runnable::run)
                .removalListener(this::onRemoval)
                .build();
    }

    @Override
    public Session create(String clientId, String engine, Map<String, String> metadata) {
        Objects.requireNonNull(clientId, "clientId");
        // Random UUIDs: a session id is a capability and must not be guessable.
        Session session = Session.start(UUID.randomUUID().toString(), clientId, engine, metadata, clock.instant());
        synchronized (createLock) {
            if (cache.estimatedSize() >= settings.maxSessions()) {
                cache.cleanUp(); // expired but not yet evicted sessions must not block new ones
                long live = cache.estimatedSize();
                if (live >= settings.maxSessions()) {
                    throw new SessionLimitReachedException((int) live);
                }
            }
            cache.put(session.id(), session);
        }
        try {
            listener.created(session);
        } catch (RuntimeException e) {
            LOG.warn("Session listener failed on create", e); // metrics trouble must not fail the request
        }
        return session;
    }

    @Override
    public Optional<Session> find(String id, String clientId) {
        if (id == null || clientId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.getIfPresent(id)).filter(s -> s.clientId().equals(clientId));
    }

    @Override
    public Optional<Session> update(String id, String clientId, UnaryOperator<Session> change) {
        Objects.requireNonNull(change, "change");
        if (id == null || clientId == null) {
            return Optional.empty();
        }
        Session result = cache.asMap().computeIfPresent(id, (key, current) -> {
            if (!current.clientId().equals(clientId)) {
                return current; // not the caller's: leave it untouched
            }
            Session changed = Objects.requireNonNull(change.apply(current), "change returned null");
            if (!changed.id().equals(current.id()) || !changed.clientId().equals(current.clientId())) {
                throw new IllegalStateException("A session update must not change its id or owner");
            }
            return changed.touched(clock.instant()); // an update is use: it extends the TTL
        });
        return Optional.ofNullable(result).filter(s -> s.clientId().equals(clientId));
    }

    @Override
    public List<Session> list(String clientId) {
        if (clientId == null) {
            return List.of();
        }
        Instant now = clock.instant();
        return cache.asMap().values().stream()
                .filter(s -> s.clientId().equals(clientId))
                .filter(s -> expiresAt(s).isAfter(now))
                .sorted(NEWEST_FIRST)
                .toList();
    }

    @Override
    public boolean delete(String id, String clientId) {
        if (id == null || clientId == null) {
            return false;
        }
        boolean[] removed = {false};
        // Returning null from the remapping removes the entry with cause EXPLICIT -> DELETED.
        cache.asMap().computeIfPresent(id, (key, current) -> {
            if (!current.clientId().equals(clientId)) {
                return current;
            }
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    @Override
    public int size() {
        cache.cleanUp(); // so the count (and the closed events) reflect expiry now
        return (int) cache.estimatedSize();
    }

    @Override
    public void cleanUp() {
        cache.cleanUp();
    }

    @Override
    public Instant expiresAt(Session s) {
        return s.lastActivity().plus(settings.ttl());
    }

    private void onRemoval(String id, Session session, RemovalCause cause) {
        if (session == null || cause == RemovalCause.REPLACED) {
            return; // an update, not an end
        }
        // Without maximumSize or weak values, EXPIRED is the only eviction that can happen.
        listener.closed(session, cause == RemovalCause.EXPLICIT ? CloseReason.DELETED : CloseReason.EXPIRED);
    }

    private long toTicks(Instant instant) {
        try {
            return Duration.between(tickerOrigin, instant).toNanos();
        } catch (ArithmeticException e) {
            return instant.isBefore(tickerOrigin) ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    /** Lifetime = lastActivity + ttl, measured on the same ticks Caffeine reads. */
    private final class LastActivityExpiry implements Expiry<String, Session> {
        private long remaining(Session s, long currentTime) {
            return Math.max(0L, toTicks(expiresAt(s)) - currentTime);
        }

        @Override
        public long expireAfterCreate(String key, Session value, long currentTime) {
            return remaining(value, currentTime);
        }

        @Override
        public long expireAfterUpdate(String key, Session value, long currentTime, long currentDuration) {
            return remaining(value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Session value, long currentTime, long currentDuration) {
            return currentDuration; // reading is not use
        }
    }
}
