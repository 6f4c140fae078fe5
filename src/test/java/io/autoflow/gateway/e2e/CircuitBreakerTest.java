package io.autoflow.gateway.e2e;

import io.autoflow.gateway.Application;
import io.autoflow.gateway.simulator.AutoflowSimulator;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upstream failures open the breaker; then the gateway answers 503 without calling Autoflow. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0", "autoflow.simulator.first-token-delay=0",
        "autoflow.breaker.sliding-window-size=2", "autoflow.breaker.minimum-calls=2",
        "autoflow.breaker.wait-in-open=120", "gateway.health.cache=0.001", "autoflow.max-retries=0" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CircuitBreakerTest {

    @BeanInject
    CamelContext context;

    @BeanInject
    AutoflowSimulator simulator;

    @Test
    void openCircuitFailsFastWith503AndRetryAfter() {
        GatewayClient client = new GatewayClient(context);
        for (int i = 0; i < 2; i++) {
            GatewayClient.Reply failed = client.post("/api/rca/chat", "{\"message\":\"fail [sim:500]\"}");
            assertEquals(502, failed.status(), failed.body());
            assertEquals("upstream_error", failed.json().path("error").path("code").asText());
        }
        int callsBefore = simulator.chatRequestCount();

        GatewayClient.Reply rejected = client.post("/api/rca/chat", "{\"message\":\"are you there?\"}");

        assertEquals(503, rejected.status(), rejected.body());
        assertEquals("upstream_unavailable", rejected.json().path("error").path("code").asText());
        assertNotNull(rejected.header("Retry-After"));
        long retryAfter = Long.parseLong(rejected.header("Retry-After"));
        assertTrue(retryAfter > 60 && retryAfter <= 120, "Retry-After is the time left: " + retryAfter);
        assertEquals(callsBefore, simulator.chatRequestCount(), "an open circuit must not call the upstream");

        GatewayClient.Reply health = client.get("/api/rca/health");
        assertEquals(200, health.status(), "Degraded still answers 200");
        assertEquals("Degraded", health.json().path("status").asText());
        boolean breakerOpen = false;
        for (var check : health.json().path("checks")) {
            if ("circuit_breaker".equals(check.path("name").asText())) {
                breakerOpen = "Degraded".equals(check.path("status").asText());
            }
        }
        assertTrue(breakerOpen, health.body());
    }
}
