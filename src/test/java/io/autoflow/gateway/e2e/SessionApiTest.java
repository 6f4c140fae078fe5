package io.autoflow.gateway.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.Application;
import io.autoflow.gateway.simulator.AutoflowSimulator;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session endpoints, through real HTTP, against the embedded simulator. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0", "autoflow.simulator.first-token-delay=0",
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=6000" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionApiTest {

    @BeanInject
    CamelContext context;

    @BeanInject
    AutoflowSimulator simulator;

    private GatewayClient client;

    @BeforeEach
    void client() {
        client = new GatewayClient(context);
    }

    @Test
    void createWithoutBodyAnswers201WithTheContractFields() {
        GatewayClient.Reply reply = client.post("/api/rca/session", null);

        assertEquals(201, reply.status(), reply.body());
        JsonNode s = reply.json();
        assertFalse(s.path("session_id").asText().isBlank(), reply.body());
        Instant created = Instant.parse(s.path("created_at").asText());
        Instant expires = Instant.parse(s.path("expires_at").asText());
        assertTrue(expires.isAfter(created), reply.body());
        assertEquals("default", s.path("engine").asText(), reply.body());
        assertTrue(reply.header("Content-Type").startsWith("application/json"));
        assertFalse(reply.header("X-Request-Id").isBlank());
    }

    @Test
    void createKeepsEngineAndMetadata() {
        GatewayClient.Reply created = client.post("/api/rca/session",
                "{\"engine\":\"tidb-rca\",\"metadata\":{\"cluster\":\"prod-eu\",\"ticket\":\"INC-42\"}}");
        assertEquals(201, created.status(), created.body());
        assertEquals("tidb-rca", created.json().path("engine").asText());

        JsonNode s = client.get("/api/rca/session/" + created.json().path("session_id").asText()).json();
        assertEquals("tidb-rca", s.path("engine").asText(), s.toString());
        assertEquals("prod-eu", s.path("metadata").path("cluster").asText(), s.toString());
        assertEquals("INC-42", s.path("metadata").path("ticket").asText(), s.toString());
    }

    @Test
    void createRejectsBadJsonAndNonStringMetadata() {
        Expect.error(client.post("/api/rca/session", "{\"engine\":"), 400, "invalid_request");
        Expect.error(client.post("/api/rca/session", "{\"metadata\":{\"retries\":3}}"), 400, "invalid_request");
        Expect.error(client.post("/api/rca/session", "{\"metadata\":\"prod\"}"), 400, "invalid_request");
    }

    @Test
    void getShowsEveryFieldAndTheTurnsOfAChat() {
        String id = newSession();
        String question = "Why do TiKV writes stall? (session get)";
        GatewayClient.Reply chat = client.post("/api/rca/chat", chatBody(id, question));
        assertEquals(200, chat.status(), chat.body());

        GatewayClient.Reply reply = client.get("/api/rca/session/" + id);

        assertEquals(200, reply.status(), reply.body());
        JsonNode s = reply.json();
        for (String field : List.of("session_id", "created_at", "last_activity", "expires_at", "engine",
                "message_count", "messages", "metadata")) {
            assertTrue(s.has(field), "missing " + field + ": " + reply.body());
        }
        assertEquals(id, s.path("session_id").asText());
        assertEquals(2, s.path("message_count").asInt(), reply.body());
        List<List<String>> messages = Expect.messages(s);
        assertEquals(2, messages.size(), reply.body());
        assertEquals("user", messages.get(0).get(0));
        assertEquals(question, messages.get(0).get(1));
        assertEquals("assistant", messages.get(1).get(0));
        assertEquals(chat.json().path("text").asText(), messages.get(1).get(1), "the answer the client got");
        assertFalse(Instant.parse(s.path("last_activity").asText())
                .isBefore(Instant.parse(s.path("created_at").asText())), reply.body());
    }

    @Test
    void listShowsTheCallersSessionsWithTotal() {
        String a = newSession();
        String b = newSession();

        GatewayClient.Reply reply = client.get("/api/rca/sessions");

        assertEquals(200, reply.status(), reply.body());
        JsonNode sessions = reply.json().path("sessions");
        List<String> ids = new ArrayList<>();
        for (JsonNode s : sessions) {
            ids.add(s.path("session_id").asText());
            for (String field : List.of("created_at", "last_activity", "message_count", "engine")) {
                assertTrue(s.has(field), "missing " + field + ": " + s);
            }
        }
        assertTrue(ids.containsAll(List.of(a, b)), reply.body());
        assertEquals(sessions.size(), reply.json().path("total").asInt(), reply.body());
    }

    @Test
    void resetClearsHistoryAndTheNextTurnStartsANewUpstreamChat() {
        String id = newSession();
        String first = "What causes region hotspots? (reset 1)";
        assertEquals(200, client.post("/api/rca/chat", chatBody(id, first)).status());
        String second = "And how do I split them? (reset 2)";
        assertEquals(200, client.post("/api/rca/chat", chatBody(id, second)).status());
        assertTrue(Expect.upstreamRequestFor(simulator, second).hasNonNull("chat_id"),
                "before the reset the session continues its upstream chat");

        GatewayClient.Reply reset = client.post("/api/rca/session/" + id + "/reset", null);

        assertEquals(200, reset.status(), reset.body());
        assertEquals(id, reset.json().path("session_id").asText());
        assertEquals(0, reset.json().path("message_count").asInt(), reset.body());
        assertEquals(0, reset.json().path("messages").size(), reset.body());
        assertEquals(0, client.get("/api/rca/session/" + id).json().path("message_count").asInt());

        String third = "Start over: why is PD slow? (reset 3)";
        GatewayClient.Reply after = client.post("/api/rca/chat", chatBody(id, third));
        assertEquals(200, after.status(), after.body());
        JsonNode upstream = Expect.upstreamRequestFor(simulator, third);
        assertFalse(upstream.hasNonNull("chat_id"), "after a reset no chat_id goes upstream: " + upstream);
        assertEquals(1, upstream.path("messages").size(), "and no old history either: " + upstream);
        assertEquals(2, client.get("/api/rca/session/" + id).json().path("message_count").asInt());
    }

    @Test
    void deleteAnswers204AndTheSessionIsGone() {
        String id = newSession();

        GatewayClient.Reply deleted = client.delete("/api/rca/session/" + id);

        assertEquals(204, deleted.status(), deleted.body());
        assertTrue(deleted.body().isEmpty(), deleted.body());
        assertFalse(deleted.header("X-Request-Id").isBlank());
        Expect.error(client.get("/api/rca/session/" + id), 404, "session_not_found");
        Expect.error(client.delete("/api/rca/session/" + id), 404, "session_not_found");
        List<String> listed = new ArrayList<>();
        client.get("/api/rca/sessions").json().path("sessions").forEach(s -> listed.add(s.path("session_id").asText()));
        assertFalse(listed.contains(id), listed.toString());
    }

    @Test
    void unknownSessionIs404WithTheErrorBodyOnEveryCall() {
        String unknown = "00000000-0000-4000-8000-000000000000";
        Expect.error(client.get("/api/rca/session/" + unknown), 404, "session_not_found");
        Expect.error(client.post("/api/rca/session/" + unknown + "/reset", null), 404, "session_not_found");
        Expect.error(client.delete("/api/rca/session/" + unknown), 404, "session_not_found");
        Expect.error(client.get("/api/rca/session/not-a-uuid"), 404, "session_not_found");
    }

    @Test
    void theClientsRequestIdIsEchoed() {
        GatewayClient.Reply created = client.send("POST", "/api/rca/session", "{}", "X-Request-Id", "trace-abc-123");
        assertEquals(201, created.status(), created.body());
        assertEquals("trace-abc-123", created.header("X-Request-Id"));

        GatewayClient.Reply missing = client.send("GET", "/api/rca/session/nope", null, "X-Request-Id", "trace-def-456");
        JsonNode error = Expect.error(missing, 404, "session_not_found");
        assertEquals("trace-def-456", error.path("request_id").asText());

        GatewayClient.Reply other = client.get("/api/rca/sessions");
        assertNotEquals("trace-abc-123", other.header("X-Request-Id"), "a new request gets a new id");
    }

    private String newSession() {
        GatewayClient.Reply reply = client.post("/api/rca/session", "{}");
        assertEquals(201, reply.status(), reply.body());
        return reply.json().path("session_id").asText();
    }

    static String chatBody(String sessionId, String message) {
        return GatewayClient.MAPPER.createObjectNode().put("session_id", sessionId).put("message", message).toString();
    }
}
