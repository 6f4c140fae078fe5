package io.autoflow.gateway.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

import static io.autoflow.gateway.e2e.SessionApiTest.chatBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/rca/chat through real HTTP against the embedded simulator: answers, conversations, failures. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0", "autoflow.simulator.first-token-delay=0",
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=6000" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatApiTest {

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
    void answersWithTheChatResponse() {
        GatewayClient.Reply reply = client.post("/api/rca/chat", "{\"message\":\"Why is my TiDB cluster slow?\"}");

        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.header("Content-Type"));
        JsonNode r = reply.json();
        assertFalse(r.path("id").asText().isBlank(), reply.body());
        assertFalse(r.path("session_id").asText().isBlank(), reply.body());
        assertEquals(r.path("session_id").asText(), reply.header("X-Session-Id"));
        assertTrue(r.path("text").asText().contains("Why is my TiDB cluster slow?"), reply.body());
        assertTrue(r.path("finished").asBoolean(false), reply.body());
        assertTrue(r.path("sources").size() > 0, reply.body());
        for (JsonNode source : r.path("sources")) {
            assertFalse(source.path("name").asText().isBlank(), source.toString());
            assertTrue(source.path("source_uri").asText().startsWith("https://"), source.toString());
        }
        JsonNode usage = r.path("usage");
        int prompt = usage.path("prompt_tokens").asInt();
        int completion = usage.path("completion_tokens").asInt();
        assertTrue(prompt > 0 && completion > 0, reply.body());
        assertEquals(prompt + completion, usage.path("total_tokens").asInt(), reply.body());
        Instant.parse(r.path("created_at").asText());
        assertFalse(reply.header("X-Request-Id").isBlank());
        assertEquals(200, client.get("/api/rca/session/" + r.path("session_id").asText()).status(),
                "a chat without session_id made a session the client can read");
    }

    @Test
    void acceptsDeepChatsBodyAlsoWithASessionIdBesideIt() {
        GatewayClient.Reply first = client.post("/api/rca/chat",
                "{\"messages\":[{\"role\":\"user\",\"text\":\"deep-chat asks about TiFlash\"}]}");
        assertEquals(200, first.status(), first.body());
        assertTrue(first.json().path("text").asText().contains("deep-chat asks about TiFlash"), first.body());
        String sessionId = first.json().path("session_id").asText();

        GatewayClient.Reply second = client.post("/api/rca/chat", "{\"messages\":[{\"role\":\"user\",\"text\":"
                + "\"deep-chat follows up\"}],\"session_id\":\"" + sessionId + "\"}");

        assertEquals(200, second.status(), second.body());
        assertEquals(sessionId, second.json().path("session_id").asText());
        assertTrue(second.json().path("text").asText().contains("deep-chat follows up"), second.body());
        assertEquals(4, client.get("/api/rca/session/" + sessionId).json().path("message_count").asInt());
    }

    @Test
    void aSecondTurnContinuesTheUpstreamChatWithOnlyTheNewestMessage() {
        String q1 = "Why are coprocessor requests slow? (continue 1)";
        GatewayClient.Reply first = client.post("/api/rca/chat", "{\"message\":\"" + q1 + "\"}");
        assertEquals(200, first.status(), first.body());
        String sessionId = first.json().path("session_id").asText();
        JsonNode up1 = Expect.upstreamRequestFor(simulator, q1);
        assertFalse(up1.hasNonNull("chat_id"), "a first turn starts a new upstream chat: " + up1);

        String q2 = "Which metrics show it? (continue 2)";
        GatewayClient.Reply second = client.post("/api/rca/chat", chatBody(sessionId, q2));

        assertEquals(200, second.status(), second.body());
        JsonNode up2 = Expect.upstreamRequestFor(simulator, q2);
        String chatId = up2.path("chat_id").asText();
        assertFalse(chatId.isBlank(), "the second turn continues the upstream chat: " + up2);
        assertEquals(1, up2.path("messages").size(), "only the newest message goes with a chat_id: " + up2);
        assertTrue(second.json().path("text").asText().contains("2 earlier messages"),
                "the upstream answered within the same chat: " + second.body());
        assertFalse(first.body().contains(chatId) || second.body().contains(chatId)
                        || client.get("/api/rca/session/" + sessionId).body().contains(chatId),
                "the upstream chat id is never shown to clients");
    }

    @Test
    void aLostUpstreamChatIsRebuiltFromTheSessionsHistory() {
        String q1 = "Why did the TiKV store go down? (recover 1)";
        GatewayClient.Reply first = client.post("/api/rca/chat", "{\"message\":\"" + q1 + "\"}");
        String sessionId = first.json().path("session_id").asText();
        String q2 = "Is it the disk? (recover 2)";
        GatewayClient.Reply second = client.post("/api/rca/chat", chatBody(sessionId, q2));
        assertEquals(200, second.status(), second.body());
        String chatId = Expect.upstreamRequestFor(simulator, q2).path("chat_id").asText();
        simulator.deleteChat(chatId);

        String q3 = "What should I do now? (recover 3)";
        GatewayClient.Reply third = client.post("/api/rca/chat", chatBody(sessionId, q3));

        assertEquals(200, third.status(), third.body());
        assertEquals(sessionId, third.json().path("session_id").asText());
        List<JsonNode> upstream = Expect.upstreamRequestsFor(simulator, q3);
        JsonNode rebuilt = upstream.get(upstream.size() - 1);
        assertFalse(rebuilt.hasNonNull("chat_id"), "the recovery starts a new upstream chat: " + rebuilt);
        List<String> sent = rebuilt.path("messages").findValuesAsText("content");
        List<String> roles = rebuilt.path("messages").findValuesAsText("role");
        assertEquals(List.of(q1, first.json().path("text").asText(), q2, second.json().path("text").asText(), q3),
                sent, "the session's history plus the new question");
        assertEquals(List.of("user", "assistant", "user", "assistant", "user"), roles);
        assertTrue(third.json().path("text").asText().contains("4 earlier messages"), third.body());
        assertEquals(6, client.get("/api/rca/session/" + sessionId).json().path("message_count").asInt());
    }

    @Test
    void malformedRequestsAre400() {
        Expect.error(client.post("/api/rca/chat", "{\"message\": \"unterminated"), 400, "invalid_request");
        Expect.error(client.post("/api/rca/chat", null), 400, "invalid_request");
        Expect.error(client.post("/api/rca/chat", ""), 400, "invalid_request");
        Expect.error(client.post("/api/rca/chat", "{\"engine\":\"default\"}"), 400, "invalid_request");
        Expect.error(client.post("/api/rca/chat", "{\"message\":42}"), 400, "invalid_request");
        Expect.error(client.post("/api/rca/chat", "{\"message\":[\"a\"]}"), 400, "invalid_request");
        Expect.error(client.post("/api/rca/chat", "[\"message\"]"), 400, "invalid_request");
        byte[] invalidUtf8 = concat("{\"message\":\"caf".getBytes(StandardCharsets.US_ASCII),
                new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF }, "\"}".getBytes(StandardCharsets.US_ASCII));
        Expect.error(client.postBytes("/api/rca/chat", invalidUtf8), 400, "invalid_request");
    }

    @Test
    void aMessageOver10000CharactersIs413() {
        int before = simulator.chatRequestCount();
        String tooLong = "x".repeat(10_001);

        Expect.error(client.post("/api/rca/chat", "{\"message\":\"" + tooLong + "\"}"), 413, "payload_too_large");
        Expect.error(client.post("/api/rca/chat", "{\"messages\":[{\"role\":\"user\",\"text\":\"" + tooLong + "\"}]}"),
                413, "payload_too_large");
        assertEquals(before, simulator.chatRequestCount(), "a refused question never reaches the upstream");
        GatewayClient.Reply atLimit = client.post("/api/rca/chat", "{\"message\":\"" + "y".repeat(10_000) + "\"}");
        assertEquals(200, atLimit.status(), "exactly 10000 characters is allowed");
    }

    @Test
    void anUnknownSessionIs404() {
        Expect.error(client.post("/api/rca/chat", chatBody("00000000-0000-4000-8000-00000000dead", "hello?")),
                404, "session_not_found");
    }

    @Test
    void anUpstreamFailureIs502AndTheSessionRecordsTheFailedTurn() {
        String sessionId = client.post("/api/rca/session", "{}").json().path("session_id").asText();
        String question = "Explain the outage [sim:error-mid-stream]";

        GatewayClient.Reply reply = client.post("/api/rca/chat", chatBody(sessionId, question));

        Expect.error(reply, 502, "upstream_error");
        assertFailedTurnRecorded(sessionId, question);
    }

    @Test
    void aFailedUpstreamCallIsRetriedThreeTimesThenAnswered502() {
        String sessionId = client.post("/api/rca/session", "{}").json().path("session_id").asText();
        String question = "Explain the outage [sim:500]";

        GatewayClient.Reply reply = client.post("/api/rca/chat", chatBody(sessionId, question));

        JsonNode error = Expect.error(reply, 502, "upstream_error");
        assertFalse(error.path("message").asText().contains("{\"detail\""), "no raw upstream body: " + reply.body());
        assertEquals(4, Expect.upstreamRequestsFor(simulator, question).size(),
                "one call and AUTOFLOW_MAX_RETRIES' default of 3 retries");
        assertFailedTurnRecorded(sessionId, question);
        Expect.error(client.post("/api/rca/chat", "{\"message\":\"fails too [sim:500]\"}"), 502, "upstream_error");
    }

    private void assertFailedTurnRecorded(String sessionId, String question) {
        JsonNode session = client.get("/api/rca/session/" + sessionId).json();
        List<List<String>> messages = Expect.messages(session);
        assertEquals(2, messages.size(), session.toString());
        assertEquals(List.of("user", question), messages.get(0).subList(0, 2));
        assertEquals("assistant", messages.get(1).get(0));
        assertEquals("failed", messages.get(1).get(2), session.toString());
    }

    @Test
    void streamTrueStreamsAsServerSentEvents() throws Exception {
        GatewayClient.StreamReply stream = client.stream("/api/rca/chat",
                "{\"message\":\"Stream this one\",\"stream\":true}", e -> { });

        assertEquals(200, stream.status());
        assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
        assertTrue(stream.textEvents().size() > 1, stream.events().toString());
        assertTrue(stream.text().contains("Stream this one"), stream.text());
        assertEquals("done", stream.last().event(), stream.events().toString());
        assertEquals(stream.header("X-Session-Id"), stream.last().json().path("session_id").asText());
        assertNotEquals(null, stream.header("X-Request-Id"));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
