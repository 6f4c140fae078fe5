package io.autoflow.gateway.e2e;

import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Open mode behind a reverse proxy: a client is the address its trusted proxy saw, so clients keep their
 * own sessions (and rate limits) instead of sharing the proxy's; a client that sends its own
 * X-Forwarded-For cannot take another client's identity.
 */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0", "autoflow.simulator.first-token-delay=0",
        "gateway.trusted-proxies=127.0.0.1, ::1, 10.0.0.0/8" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedClientTest {

    private static final String XFF = "X-Forwarded-For";

    @BeanInject
    CamelContext context;

    private GatewayClient client;

    @BeforeEach
    void client() {
        client = new GatewayClient(context);
    }

    @Test
    void clientsBehindTheProxyKeepTheirOwnSessions() {
        String session = create(XFF, "203.0.113.7");

        assertEquals(200, get(session, XFF, "203.0.113.7").status());
        assertEquals(404, get(session, XFF, "198.51.100.9").status(), "another client behind the proxy");
        assertEquals(404, get(session).status(), "the proxy itself");
    }

    @Test
    void trustedHopsAreSkippedFromTheRight() {
        String session = create(XFF, "203.0.113.8, 10.1.2.3");

        assertEquals(200, get(session, XFF, "203.0.113.8").status(), "the same client, one proxy fewer");
        assertEquals(200, get(session, XFF, "203.0.113.8", XFF, "10.9.9.9").status(), "headers are joined");
    }

    @Test
    void anAddressTheClientWroteItselfIsNotBelieved() {
        String victim = create(XFF, "203.0.113.9");

        // The client sent "X-Forwarded-For: 203.0.113.9"; the proxy appended the address it really saw.
        assertEquals(404, get(victim, XFF, "203.0.113.9, 198.51.100.10").status());
        assertEquals(404, get(victim, XFF, "203.0.113.9, not-an-address").status(), "garbage stops the walk");
    }

    private String create(String... headers) {
        GatewayClient.Reply r = client.send("POST", "/api/rca/session", "{}", headers);
        assertEquals(201, r.status(), r.body());
        return r.json().path("session_id").asText();
    }

    private GatewayClient.Reply get(String session, String... headers) {
        return client.send("GET", "/api/rca/session/" + session, null, headers);
    }
}
