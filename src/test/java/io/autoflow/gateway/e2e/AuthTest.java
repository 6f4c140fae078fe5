package io.autoflow.gateway.e2e;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import static io.autoflow.gateway.e2e.SessionApiTest.chatBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client keys: who may call, and that sessions are their owner's only. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0", "autoflow.simulator.first-token-delay=0",
        "gateway.api-keys=key-a=alice,key-b=bob", "autoflow.api-key=" + AuthTest.UPSTREAM_KEY,
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=6000" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest {

    private static final String ALICE_KEY = "key-a";
    private static final String BOB_KEY = "key-b";
    static final String UPSTREAM_KEY = "ta-upstreamSecret0123456789";
    /** Everything the gateway logs, from its start on (the class is initialised before the context starts). */
    private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();

    static {
        LOGGED.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGGED);
    }

    @BeanInject
    CamelContext context;

    private GatewayClient anonymous;
    private GatewayClient alice;
    private GatewayClient bob;

    @BeforeEach
    void clients() {
        anonymous = new GatewayClient(context);
        alice = anonymous.withKey(ALICE_KEY);
        bob = anonymous.withKey(BOB_KEY);
    }

    @Test
    void withoutAKeyEveryApiCallIs401() {
        Expect.error(anonymous.post("/api/rca/session", "{}"), 401, "unauthorized");
        Expect.error(anonymous.get("/api/rca/sessions"), 401, "unauthorized");
        Expect.error(anonymous.post("/api/rca/chat", "{\"message\":\"hi\"}"), 401, "unauthorized");
        Expect.error(anonymous.post("/api/rca/chat/stream", "{\"message\":\"hi\"}"), 401, "unauthorized");
        Expect.error(anonymous.get("/api/rca/session/00000000-0000-4000-8000-000000000000"), 401, "unauthorized");
    }

    @Test
    void aWrongKeyIs401InEitherHeader() {
        Expect.error(anonymous.withKey("key-c").get("/api/rca/sessions"), 401, "unauthorized");
        Expect.error(anonymous.send("GET", "/api/rca/sessions", null, "X-API-Key", "key-a-but-longer"),
                401, "unauthorized");
        Expect.error(anonymous.send("GET", "/api/rca/sessions", null, "Authorization", "Basic a2V5LWE6"),
                401, "unauthorized");
        Expect.error(anonymous.send("GET", "/api/rca/sessions", null, "Authorization", "Bearer "), 401,
                "unauthorized");
    }

    @Test
    void bearerAndXApiKeyAreBothAccepted() {
        GatewayClient.Reply bearer = anonymous.send("POST", "/api/rca/session", "{}",
                "Authorization", "Bearer " + ALICE_KEY);
        assertEquals(201, bearer.status(), bearer.body());
        GatewayClient.Reply apiKey = anonymous.send("GET", "/api/rca/session/" + bearer.json().path("session_id")
                .asText(), null, "X-API-Key", ALICE_KEY);
        assertEquals(200, apiKey.status(), "the same client whichever header carries its key: " + apiKey.body());

        GatewayClient.Reply chat = anonymous.send("POST", "/api/rca/chat", "{\"message\":\"keyed question\"}",
                "X-API-Key", BOB_KEY);
        assertEquals(200, chat.status(), chat.body());
    }

    @Test
    void anotherClientsSessionIs404EverywhereAndStaysIntact() {
        GatewayClient.Reply turn = alice.post("/api/rca/chat", "{\"message\":\"alice's private question\"}");
        assertEquals(200, turn.status(), turn.body());
        String id = turn.json().path("session_id").asText();

        Expect.error(bob.get("/api/rca/session/" + id), 404, "session_not_found");
        Expect.error(bob.post("/api/rca/session/" + id + "/reset", null), 404, "session_not_found");
        Expect.error(bob.delete("/api/rca/session/" + id), 404, "session_not_found");
        GatewayClient.Reply chat = bob.post("/api/rca/chat", chatBody(id, "let me in"));
        Expect.error(chat, 404, "session_not_found");
        GatewayClient.Reply streamed = bob.post("/api/rca/chat/stream", chatBody(id, "let me in, streaming"));
        Expect.error(streamed, 404, "session_not_found");
        for (GatewayClient.Reply r : List.of(chat, streamed)) {
            assertFalse(r.body().contains("alice's private question"), r.body());
        }

        JsonNode session = alice.get("/api/rca/session/" + id).json();
        assertEquals(2, session.path("message_count").asInt(), "bob's attempts changed nothing: " + session);
        assertEquals("alice's private question", session.path("messages").path(0).path("content").asText());
    }

    @Test
    void theSessionListShowsTheCallersOwnOnly() {
        String alices = alice.post("/api/rca/session", "{}").json().path("session_id").asText();
        String bobs = bob.post("/api/rca/session", "{}").json().path("session_id").asText();

        List<String> bobSees = ids(bob.get("/api/rca/sessions"));
        List<String> aliceSees = ids(alice.get("/api/rca/sessions"));

        assertTrue(bobSees.contains(bobs) && !bobSees.contains(alices), bobSees.toString());
        assertTrue(aliceSees.contains(alices) && !aliceSees.contains(bobs), aliceSees.toString());
    }

    @Test
    void noAnswerEverEchoesTheKey() throws Exception {
        String id = alice.post("/api/rca/session", "{}").json().path("session_id").asText();
        Map<String, GatewayClient.Reply> replies = Map.of(
                "create", alice.post("/api/rca/session", "{}"),
                "get", alice.get("/api/rca/session/" + id),
                "list", anonymous.send("GET", "/api/rca/sessions", null, "X-API-Key", ALICE_KEY),
                "chat", alice.post("/api/rca/chat", chatBody(id, "does my key leak?")),
                "not found", alice.get("/api/rca/session/unknown"),
                "bad request", anonymous.send("POST", "/api/rca/chat", "{", "X-API-Key", ALICE_KEY),
                "wrong key", anonymous.withKey("key-wrong-secret").get("/api/rca/sessions"),
                "delete", alice.delete("/api/rca/session/" + id));
        replies.forEach((what, r) -> {
            assertNoKey(what, r.headers(), "key-a", "key-wrong-secret", UPSTREAM_KEY);
            for (String key : List.of("key-a", "key-wrong-secret", UPSTREAM_KEY)) {
                assertFalse(r.body().contains(key), what + ": " + r.body());
            }
        });
        GatewayClient.StreamReply stream = alice.stream("/api/rca/chat/stream", "{\"message\":\"streamed\"}", e -> { });
        assertEquals(200, stream.status());
        assertNoKey("stream", stream.headers(), "key-a", UPSTREAM_KEY);
        stream.events().forEach(e -> assertFalse(e.data().contains("key-a") || e.data().contains(UPSTREAM_KEY),
                e.toString()));
    }

    @Test
    void theLogNeverShowsAKey() {
        assertEquals(200, alice.post("/api/rca/chat", "{\"message\":\"is my key logged?\"}").status());
        Expect.error(anonymous.withKey("key-wrong-secret").get("/api/rca/sessions"), 401, "unauthorized");
        List<ILoggingEvent> events;
        synchronized (LOGGED) {
            events = List.copyOf(LOGGED.list);
        }
        assertFalse(events.isEmpty(), "the log capture works");
        for (ILoggingEvent e : events) {
            String line = e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage());
            for (String key : List.of(ALICE_KEY + "=", BOB_KEY + "=", "Bearer " + ALICE_KEY, "key-wrong-secret",
                    UPSTREAM_KEY)) {
                assertFalse(line.contains(key), "a key in the log (" + e.getLoggerName() + "): " + line);
            }
        }
    }

    private static void assertNoKey(String what, HttpHeaders headers, String... keys) {
        headers.map().forEach((name, values) -> {
            for (String value : values) {
                for (String key : keys) {
                    assertFalse(value.contains(key), what + ": header " + name + " echoes the key: " + value);
                }
            }
        });
    }

    private static List<String> ids(GatewayClient.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        List<String> out = new ArrayList<>();
        reply.json().path("sessions").forEach(s -> out.add(s.path("session_id").asText()));
        assertEquals(out.size(), reply.json().path("total").asInt(), reply.body());
        return out;
    }
}
