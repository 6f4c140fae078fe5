package io.autoflow.gateway.e2e;

import java.util.List;

import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.autoflow.gateway.e2e.SessionApiTest.chatBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-client rate limits and the session limit. The limit of two sessions is taken by alice's and bob's
 * sessions, made once; every chat here uses one of them, so no test makes a session the others count on.
 */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0", "autoflow.simulator.first-token-delay=0",
        "gateway.api-keys=key-a=alice,key-b=bob,key-c=carol",
        "gateway.rate-limit.burst=3", "gateway.rate-limit.per-minute=60", "gateway.session.max=2" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsTest {

    @BeanInject
    CamelContext context;

    private GatewayClient alice;
    private GatewayClient bob;
    private GatewayClient carol;
    private String alicesSession;
    private String bobsSession;

    @BeforeEach
    void sessions() {
        GatewayClient anonymous = new GatewayClient(context);
        alice = anonymous.withKey("key-a");
        bob = anonymous.withKey("key-b");
        carol = anonymous.withKey("key-c");
        if (alicesSession == null) {
            alicesSession = create(alice);
            bobsSession = create(bob);
            // bob's one chat warms the whole pipeline, so alice's burst below runs at full speed
            assertEquals(200, bob.post("/api/rca/chat", chatBody(bobsSession, "warm up")).status());
        }
    }

    @Test
    void theFourthRapidChatIsRateLimitedAndOtherClientsAreNot() {
        for (int i = 1; i <= 3; i++) {
            GatewayClient.Reply ok = alice.post("/api/rca/chat", chatBody(alicesSession, "burst " + i));
            assertEquals(200, ok.status(), "chat " + i + " of a burst of 3: " + ok.body());
            assertEquals("3", ok.header("RateLimit-Limit"));
            assertEquals(Integer.toString(3 - i), ok.header("RateLimit-Remaining"));
        }

        GatewayClient.Reply limited = alice.post("/api/rca/chat", chatBody(alicesSession, "burst 4"));

        Expect.error(limited, 429, "rate_limited");
        assertNotNull(limited.header("Retry-After"), "429 tells when to retry");
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "about one token's refill time: " + retryAfter);
        assertEquals("3", limited.header("RateLimit-Limit"));
        assertEquals("0", limited.header("RateLimit-Remaining"));
        long reset = Long.parseLong(limited.header("RateLimit-Reset"));
        assertTrue(reset >= retryAfter && reset <= 60, "the bucket refills within a minute: " + reset);
        assertEquals(6, alice.get("/api/rca/session/" + alicesSession).json().path("message_count").asInt(),
                "three turns; the refused chat left none");

        GatewayClient.Reply other = bob.post("/api/rca/chat", chatBody(bobsSession, "bob is not limited"));
        assertEquals(200, other.status(), other.body());
    }

    @Test
    void theSessionLimitRefusesNewSessionsWithoutDroppingOldOnes() {
        GatewayClient.Reply third = carol.post("/api/rca/session", "{}");

        Expect.error(third, 429, "session_limit_reached");
        Expect.error(alice.post("/api/rca/session", "{}"), 429, "session_limit_reached");
        Expect.error(carol.post("/api/rca/chat", "{\"message\":\"a chat would need a new session\"}"), 429,
                "session_limit_reached");
        assertEquals(200, alice.get("/api/rca/session/" + alicesSession).status(), "alice's session survives");
        assertEquals(200, bob.get("/api/rca/session/" + bobsSession).status(), "bob's session survives");
        assertEquals(List.of(), carol.get("/api/rca/sessions").json().path("sessions").findValuesAsText("session_id"));
    }

    private static String create(GatewayClient client) {
        GatewayClient.Reply reply = client.post("/api/rca/session", "{}");
        assertEquals(201, reply.status(), reply.body());
        return reply.json().path("session_id").asText();
    }
}
