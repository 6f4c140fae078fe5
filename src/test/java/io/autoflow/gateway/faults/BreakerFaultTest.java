package io.autoflow.gateway.faults;

import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.e2e.GatewayClient;
import org.junit.jupiter.api.Test;

import static io.autoflow.gateway.faults.FaultyUpstream.slowStream;
import static io.autoflow.gateway.faults.FaultyUpstream.status;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The circuit breaker over 4 calls, opening at 50 % failures, open for 60 s; no retries, to count calls. */
class BreakerFaultTest extends GatewayUnderFaults {

    @Override
    protected void configure(Properties p) {
        p.put("autoflow.breaker.sliding-window-size", "4");
        p.put("autoflow.breaker.minimum-calls", "4");
        p.put("autoflow.breaker.wait-in-open", "60");
        p.put("autoflow.max-retries", "0");
    }

    /** A metric's value as Prometheus scrapes it from the management port. */
    private double metric(String name) throws Exception {
        java.net.http.HttpResponse<String> scrape = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode());
        for (String line : scrape.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " is not in the scrape");
    }

    @Test
    void fourFailuresOpenTheCircuitAndTheFifthCallNeverReachesTheUpstream() throws Exception {
        assertEquals(0.0, metric("autoflow_circuit_breaker_state"), "closed");
        upstream.byDefault(status(500));
        for (int i = 0; i < 4; i++) {
            assertError(client.post("/api/rca/chat", chatBody(null, "Failing " + i)), 502, "upstream_error");
        }
        assertEquals(4, upstream.calls(), "max-retries 0: one call per question");

        GatewayClient.Reply json = client.post("/api/rca/chat", chatBody(null, "Still failing?"));
        GatewayClient.Reply stream = client.post("/api/rca/chat/stream", chatBody(null, "Still failing?"));

        assertAll(() -> assertError(json, 503, "upstream_unavailable"),
                () -> assertError(stream, 503, "upstream_unavailable"),
                () -> assertEquals(4, upstream.calls(), "an open circuit does not call the upstream"));
        for (GatewayClient.Reply r : new GatewayClient.Reply[] { json, stream }) {
            assertNotNull(r.header("Retry-After"), r.headers().toString());
            long retryAfter = Long.parseLong(r.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After is the time left of 60 s: " + retryAfter);
        }

        GatewayClient.Reply health = client.get("/api/rca/health");
        assertEquals(200, health.status(), "Degraded still answers 200: " + health.body());
        assertEquals("Degraded", health.json().path("status").asText(), health.body());
        assertEquals("Degraded", check(health, "circuit_breaker").path("status").asText(), health.body());
        assertEquals("Healthy", check(health, "upstream").path("status").asText(), health.body());
        assertEquals(1.0, metric("autoflow_circuit_breaker_state"), "open, in the Prometheus scrape");
    }

    @Test
    void clientsThatHangUpDoNotOpenTheCircuit() throws Exception {
        double disconnectsBefore = metric("autoflow_client_disconnects_total");
        for (int i = 0; i < 4; i++) {
            upstream.reset();
            upstream.then(slowStream(200, Duration.ofMillis(50)));
            String session = newSession();
            client.streamUntil("/api/rca/chat/stream", chatBody(session, "Bye " + i), e -> e.data().contains("\"text\""));
            assertTrue(upstream.awaitClientAbort(Duration.ofSeconds(5)), "hung up " + i);
            // The turn is recorded after the breaker has counted the call.
            assertTurnRecorded(session, "Bye " + i, "interrupted");
        }
        upstream.reset();
        assertEquals(disconnectsBefore + 4, metric("autoflow_client_disconnects_total"), "each hang-up is counted");

        GatewayClient.Reply r = client.post("/api/rca/chat", chatBody(null, "Still there?"));

        assertEquals(200, r.status(), "a client leaving is not an upstream failure: " + r.body());
        assertEquals(1, upstream.calls());
        GatewayClient.Reply health = client.get("/api/rca/health");
        assertEquals("Healthy", check(health, "circuit_breaker").path("status").asText(), health.body());
    }

    private static JsonNode check(GatewayClient.Reply health, String name) {
        for (JsonNode c : health.json().path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no " + name + " check in " + health.body());
    }
}
