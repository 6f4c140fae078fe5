package io.autoflow.gateway.faults;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.e2e.Expect;
import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.autoflow.gateway.faults.FaultyUpstream.slowFirstByte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session answers one question at a time: two sent at once on a new session start one Autoflow chat, the
 * later question continues it, and the history reads question, answer, question, answer.
 */
class SessionTurnsTest extends GatewayUnderFaults {

    private final ExecutorService clients = Executors.newFixedThreadPool(4);

    @Override
    protected void configure(Properties p) {
        // the defaults of GatewayUnderFaults
    }

    @AfterAll
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void twoQuestionsAtOnceOnOneSessionShareOneUpstreamChat() throws Exception {
        upstream.byDefault(slowFirstByte(Duration.ofMillis(400)));
        String session = newSession();

        Future<GatewayClient.Reply> first = clients.submit(() -> client.post("/api/rca/chat", chatBody(session, "One?")));
        Future<GatewayClient.Reply> second = clients.submit(() -> client.post("/api/rca/chat", chatBody(session, "Two?")));

        assertEquals(200, first.get(20, TimeUnit.SECONDS).status(), first.get().body());
        assertEquals(200, second.get(20, TimeUnit.SECONDS).status(), second.get().body());
        List<String> bodies = upstream.bodies();
        assertEquals(2, bodies.size(), bodies.toString());
        JsonNode earlier = FaultyUpstream.MAPPER.readTree(bodies.get(0));
        JsonNode later = FaultyUpstream.MAPPER.readTree(bodies.get(1));
        assertFalse(earlier.path("chat_id").isTextual(), "the first question starts the chat: " + earlier);
        assertTrue(later.path("chat_id").isTextual(), "the second continues it, not a chat of its own: " + later);
        assertEquals(1, later.path("messages").size(), "only the new question goes to the chat: " + later);
        List<List<String>> m = messages(session);
        assertEquals(List.of("user", "assistant", "user", "assistant"), m.stream().map(x -> x.get(0)).toList(),
                m.toString());
        assertEquals(m.get(0).get(1).equals("One?") ? "Two?" : "One?", m.get(2).get(1), m.toString());
    }

    @Test
    void questionsOnDifferentSessionsDoNotWaitForEachOther() throws Exception {
        upstream.byDefault(slowFirstByte(Duration.ofSeconds(3)));
        String a = newSession();
        String b = newSession();

        Future<GatewayClient.Reply> first = clients.submit(() -> client.post("/api/rca/chat", chatBody(a, "A?")));
        Future<GatewayClient.Reply> second = clients.submit(() -> client.post("/api/rca/chat", chatBody(b, "B?")));

        // Both questions reach Autoflow while the first answer is still pending (one after the other, the
        // second would arrive only after the first's 3 s).
        Expect.eventually(upstream::calls, n -> n == 2, Duration.ofSeconds(10), "both calls upstream");
        assertFalse(first.isDone() || second.isDone(), "both reached Autoflow before either was answered");
        assertEquals(200, first.get(20, TimeUnit.SECONDS).status(), first.get().body());
        assertEquals(200, second.get(20, TimeUnit.SECONDS).status(), second.get().body());
    }
}
