package io.autoflow.gateway.faults;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.Application;
import io.autoflow.gateway.chat.UpstreamBreaker;
import io.autoflow.gateway.e2e.GatewayClient;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import io.autoflow.gateway.testing.BootedGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Boots the whole gateway (camel-main: application.properties, YAML routes, beans) once per test class
 * against a {@link FaultyUpstream}, with properties decided at run time (the upstream's random port).
 * Each test starts with an empty upstream script and a closed circuit breaker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayUnderFaults extends BootedGateway {

    /** The upstream key the gateway sends; it must never reach a client. */
    static final String UPSTREAM_KEY = "ta-" + "k3yK3y".repeat(8) + "Zq";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    protected final FaultyUpstream upstream = startUpstream();

    /** The upstream this class runs against (called while the instance is built: use static state only). */
    protected FaultyUpstream startUpstream() {
        return FaultyUpstream.start();
    }

    /** The misbehaving upstream, fast retries, and a breaker that never opens unless a class says so. */
    @Override
    protected void defaults(Properties p) {
        p.put("autoflow.base-url", upstream.baseUrl());
        p.put("autoflow.api-key", UPSTREAM_KEY);
        p.put("autoflow.connect-timeout", "2");
        p.put("autoflow.timeout", "5");
        p.put("autoflow.idle-timeout", "5");
        p.put("autoflow.total-timeout", "60");
        p.put("autoflow.max-retries", "3");
        p.put("autoflow.retry.initial-delay", "0.01");
        p.put("autoflow.retry.multiplier", "2");
        p.put("autoflow.retry.max-delay", "0.05");
        p.put("autoflow.retry.max-retry-after", "10");
        p.put("autoflow.breaker.sliding-window-size", "1000");
        p.put("autoflow.breaker.minimum-calls", "1000");
        p.put("gateway.health.cache", "0.001");
    }

    @BeforeEach
    void cleanSlate() {
        upstream.reset();
        context().getRegistry().lookupByNameAndType("upstreamBreaker", UpstreamBreaker.class).circuitBreaker().reset();
        client = new GatewayClient(context());
    }

    @Override
    protected void afterShutdown() {
        upstream.close();
    }

    // ---- shared steps and assertions ------------------------------------------------------------------

    static String chatBody(String sessionId, String message) {
        return "{\"session_id\":" + (sessionId == null ? "null" : "\"" + sessionId + "\"") + ",\"message\":"
                + FaultyUpstream.MAPPER.valueToTree(message) + "}";
    }

    /** A POST that gives up after {@code limit}: status -1 when the gateway did not answer in time. */
    GatewayClient.Reply postWithin(String path, String json, Duration limit) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(client.base() + path)).timeout(limit)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new GatewayClient.Reply(r.statusCode(), r.headers(), r.body());
        } catch (java.io.IOException e) {
            return new GatewayClient.Reply(-1, HttpHeaders.of(Map.of(), (a, b) -> true),
                    "no answer within " + limit.toSeconds() + " s: " + e);
        }
    }

    String newSession() {
        GatewayClient.Reply r = client.post("/api/rca/session", "{}");
        assertEquals(201, r.status(), r.body());
        return r.json().path("session_id").asText();
    }

    /** The contract's error answer: status, code, message, request id (also in X-Request-Id). */
    static JsonNode assertError(GatewayClient.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        JsonNode error = r.json().path("error");
        assertEquals(code, error.path("code").asText(), r.body());
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(), r.body());
        assertTrue(error.path("request_id").isTextual() && !error.path("request_id").asText().isBlank(), r.body());
        assertEquals(error.path("request_id").asText(), r.header("X-Request-Id"), r.body());
        return error;
    }

    /** The stream began (200, SSE), relayed no end-of-answer, and ended with one error event carrying {@code code}. */
    static void assertEndsWithError(GatewayClient.StreamReply s, String code) {
        assertEquals(200, s.status(), s.events().toString());
        assertTrue(s.header("Content-Type").startsWith("text/event-stream"), s.header("Content-Type"));
        GatewayClient.SseEvent last = s.last();
        assertTrue(last != null && last.event() == null, "the last event is unnamed data: " + s.events());
        assertTrue(last.json().path("error").isTextual() && !last.json().path("error").asText().isBlank(), last.data());
        assertEquals(code, last.json().path("code").asText(), last.data());
        assertTrue(s.named("done").isEmpty(), "a failed answer has no done event: " + s.events());
        assertEquals(1, s.events().stream().filter(e -> e.data().contains("\"error\"")).count(), s.events().toString());
    }

    /** The session's messages as [role, content, status]. */
    List<List<String>> messages(String sessionId) {
        GatewayClient.Reply r = client.get("/api/rca/session/" + sessionId);
        assertEquals(200, r.status(), r.body());
        List<List<String>> out = new ArrayList<>();
        for (JsonNode m : r.json().path("messages")) {
            out.add(List.of(m.path("role").asText(), m.path("content").asText(), m.path("status").asText()));
        }
        return out;
    }

    /** The session holds the question and an assistant answer of {@code status}; returns that answer's text. */
    String assertTurnRecorded(String sessionId, String question, String status) {
        List<List<String>> m = eventually(() -> messages(sessionId), x -> x.size() >= 2, Duration.ofSeconds(10),
                "the turn is recorded in session " + sessionId);
        assertEquals(2, m.size(), m.toString());
        assertEquals(List.of("user", question), m.get(0).subList(0, 2), m.toString());
        assertEquals("assistant", m.get(1).get(0), m.toString());
        assertEquals(status, m.get(1).get(2), m.toString());
        return m.get(1).get(1);
    }

}
