package io.autoflow.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CaffeineSessionStoreTest {

    private static final Duration TTL = Duration.ofMinutes(60);
    private static final HistoryBudget BUDGET = new HistoryBudget(20, 10_000);

    private MutableClock clock;
    private RecordingListener events;
    private CaffeineSessionStore store;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        events = new RecordingListener();
        store = newStore(100);
    }

    private CaffeineSessionStore newStore(int maxSessions) {
        SessionSettings settings = new SessionSettings(TTL, maxSessions, Duration.ofMinutes(10), BUDGET);
        return new CaffeineSessionStore(settings, clock, events);
    }

    @Test
    void createAndFind() {
        Session s = store.create("alice", "default", Map.of("team", "sre"));
        assertEquals(36, s.id().length()); // a random UUID
        assertEquals("alice", s.clientId());
        assertEquals(clock.instant(), s.createdAt());
        assertEquals(clock.instant().plus(TTL), store.expiresAt(s));
        assertEquals(s, store.find(s.id(), "alice").orElseThrow());
        assertEquals(1, store.size());
        assertEquals(List.of(s), events.created);
        assertNotEquals(s.id(), store.create("alice", "default", null).id());
    }

    @Test
    void anotherClientSeesNothing() {
        Session s = store.create("alice", "default", Map.of());
        assertTrue(store.find(s.id(), "mallory").isEmpty());
        assertTrue(store.update(s.id(), "mallory", x -> x.cleared(clock.instant())).isEmpty());
        assertFalse(store.delete(s.id(), "mallory"));
        assertTrue(store.list("mallory").isEmpty());
        assertTrue(store.find(s.id(), "alice").isPresent(), "still there for its owner");
        assertTrue(store.find("no-such-id", "alice").isEmpty());
        assertTrue(events.closed.isEmpty());
    }

    @Test
    void updateIsAtomicChangeAndTouches() {
        Session s = store.create("alice", "default", Map.of());
        clock.advance(Duration.ofMinutes(5));
        Session updated = store.update(s.id(), "alice", x -> x.withUpstreamChatId("chat-1", clock.instant())
                .withTurn(ChatMessage.user("q", clock.instant()),
                        ChatMessage.assistant("a", clock.instant(), ChatMessage.STATUS_COMPLETE),
                        clock.instant(), BUDGET)).orElseThrow();
        assertEquals(2, updated.messageCount());
        assertEquals(clock.instant(), updated.lastActivity());
        assertEquals(updated, store.find(s.id(), "alice").orElseThrow());
        assertTrue(events.closed.isEmpty(), "a replaced value is not a closed session");
    }

    @Test
    void updateMayNotChangeOwner() {
        Session s = store.create("alice", "default", Map.of());
        assertThrows(IllegalStateException.class, () -> store.update(s.id(), "alice",
                x -> new Session(x.id(), "mallory", x.engine(), x.metadata(), x.createdAt(),
                        x.lastActivity(), null, x.messages())));
        assertEquals("alice", store.find(s.id(), "alice").orElseThrow().clientId());
    }

    @Test
    void listIsOwnNewestFirst() {
        Session first = store.create("alice", "default", Map.of());
        clock.advance(Duration.ofSeconds(1));
        store.create("bob", "default", Map.of());
        clock.advance(Duration.ofSeconds(1));
        Session third = store.create("alice", "other", Map.of());
        assertEquals(List.of(third, first), store.list("alice"));
    }

    @Test
    void deleteRemovesAndNotifiesOnce() {
        Session s = store.create("alice", "default", Map.of());
        assertTrue(store.delete(s.id(), "alice"));
        assertFalse(store.delete(s.id(), "alice"));
        assertTrue(store.find(s.id(), "alice").isEmpty());
        assertEquals(0, store.size());
        store.cleanUp();
        assertEquals(List.of("DELETED:" + s.id()), events.closed);
    }

    @Test
    void findDoesNotExtendTtl() {
        Session s = store.create("alice", "default", Map.of());
        clock.advance(TTL.minusSeconds(1));
        assertTrue(store.find(s.id(), "alice").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(store.find(s.id(), "alice").isEmpty(), "expired exactly at lastActivity + ttl");
        assertTrue(store.list("alice").isEmpty());
        assertEquals(0, store.size());
        assertEquals(List.of("EXPIRED:" + s.id()), events.closed);
    }

    @Test
    void updateExtendsTtl() {
        Session s = store.create("alice", "default", Map.of());
        clock.advance(TTL.minusSeconds(10));
        store.update(s.id(), "alice", x -> x).orElseThrow();
        clock.advance(TTL.minusSeconds(10));
        Session found = store.find(s.id(), "alice").orElseThrow();
        assertEquals(clock.instant().plusSeconds(10), store.expiresAt(found));
        clock.advance(Duration.ofSeconds(10));
        assertTrue(store.update(s.id(), "alice", x -> x).isEmpty(), "too late to revive");
        assertFalse(store.delete(s.id(), "alice"));
        store.cleanUp();
        assertEquals(List.of("EXPIRED:" + s.id()), events.closed);
    }

    @Test
    void cleanUpEvictsExpiredAndNotifiesOnce() {
        Session a = store.create("alice", "default", Map.of());
        clock.advance(Duration.ofMinutes(30));
        Session b = store.create("bob", "default", Map.of());
        clock.advance(Duration.ofMinutes(31));
        store.cleanUp();
        store.cleanUp();
        assertEquals(List.of("EXPIRED:" + a.id()), events.closed);
        assertEquals(1, store.size());
        assertTrue(store.find(b.id(), "bob").isPresent());
    }

    @Test
    void limitRefusesWithoutEvicting() {
        store = newStore(3);
        List<Session> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(store.create("alice", "default", Map.of()));
        }
        SessionLimitReachedException e = assertThrows(SessionLimitReachedException.class,
                () -> store.create("bob", "default", Map.of()));
        assertEquals("Session limit reached (3 active). Try again later or delete an unused session.", e.getMessage());
        assertEquals(3, store.size());
        made.forEach(s -> assertTrue(store.find(s.id(), "alice").isPresent()));
        assertTrue(events.closed.isEmpty());

        store.delete(made.get(0).id(), "alice");
        store.create("bob", "default", Map.of()); // room again
    }

    @Test
    void expiredSessionsDoNotBlockNewOnes() {
        store = newStore(2);
        store.create("alice", "default", Map.of());
        store.create("alice", "default", Map.of());
        clock.advance(TTL);
        Session s = store.create("bob", "default", Map.of());
        assertEquals(1, store.size());
        assertEquals(2, events.closed.size());
        assertTrue(store.find(s.id(), "bob").isPresent());
    }

    @Test
    void concurrentCreatesStopExactlyAtTheLimit() throws Exception {
        store = newStore(50);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String client = "client-" + (i % 7);
            tasks.add(() -> {
                start.await();
                try {
                    store.create(client, "default", Map.of());
                    return true;
                } catch (SessionLimitReachedException e) {
                    return false;
                }
            });
        }
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            tasks.forEach(t -> futures.add(pool.submit(t)));
            start.countDown();
            int ok = 0;
            for (Future<Boolean> f : futures) {
                ok += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(50, ok);
            assertEquals(50, store.size());
            assertEquals(50, events.created.size());
            assertTrue(events.closed.isEmpty());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Records events; thread-safe so the concurrency test can use it. */
    private static final class RecordingListener implements SessionListener {
        final List<Session> created = new CopyOnWriteArrayList<>();
        final List<String> closed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void created(Session s) {
            created.add(s);
        }

        @Override
        public void closed(Session s, CloseReason reason) {
            closed.add(reason + ":" + s.id());
        }
    }
}
