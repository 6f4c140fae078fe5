package io.autoflow.gateway.observability;

import java.net.URI;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.Application;
import io.autoflow.gateway.e2e.Expect;
import io.autoflow.gateway.e2e.GatewayClient;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import io.autoflow.gateway.testing.BootedGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What operators see: the Prometheus scrape, the JSON turn log (redacted), and the published events. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest extends BootedGateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ListAppender<ILoggingEvent> turnLog = new ListAppender<>();
    private Encoder<ILoggingEvent> encoder;

    @Override
    protected void configure(Properties p) {
        p.put("gateway.events.uri", "seda:test-events");
        p.put("gateway.log.bodies", "true");
    }

    @BeforeAll
    void captureTurnLog() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.autoflow.gateway.turns");
        // The encoder logback.xml configures: the test reads lines exactly as they reach stdout.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("JSON")).getEncoder();
        turnLog.start();
        logger.addAppender(turnLog);
    }

    @AfterAll
    void releaseTurnLog() {
        ((Logger) LoggerFactory.getLogger("io.autoflow.gateway.turns")).detachAppender(turnLog);
    }

    @Test
    void metricsMoveLogsAreJsonAndRedactedEventsArePublished() throws Exception {
        GatewayClient client = client();
        String before = scrape();
        double answered = value(before, "autoflow_requests_total{endpoint=\"chat\",status=\"200\"}");

        GatewayClient.Reply ok = client.post("/api/rca/chat",
                "{\"message\":\"my key is ta-abcdefghijklmnopqrstuvwxyz012345 and mail ops@example.com\"}");
        assertEquals(200, ok.status(), ok.body());
        GatewayClient.Reply bad = client.post("/api/rca/chat", "{\"message\": 42}");
        assertEquals(400, bad.status());

        String after = scrape();
        assertEquals(answered + 1, value(after, "autoflow_requests_total{endpoint=\"chat\",status=\"200\"}"));
        assertTrue(value(after, "autoflow_request_errors_total{code=\"invalid_request\"}") >= 1);
        assertTrue(value(after, "autoflow_tokens_consumed_total{type=\"completion\"}") > 0);
        assertTrue(value(after, "autoflow_time_to_first_token_seconds_count") >= 1);
        assertTrue(value(after, "autoflow_sessions_opened_total") >= 1);
        assertTrue(value(after, "autoflow_sessions_active") >= 1);
        for (String name : List.of("autoflow_request_duration_seconds_bucket", "autoflow_response_size_bytes_bucket",
                "autoflow_circuit_breaker_state", "autoflow_rate_limited_total", "camel_exchanges_total", "jvm_")) {
            assertTrue(after.contains(name), name + " is in the one scrape");
        }
        // Camel's route timers cover the pipeline; the retry loop's and event delivery's routes are left out.
        for (String timed : List.of("rest-chat", "chat", "autoflow-guarded")) {
            assertTrue(routeTimed(after, timed), timed + " is timed");
        }
        for (String untimed : List.of("autoflow-call", "autoflow-attempt", "publish-events")) {
            assertFalse(routeTimed(after, untimed), untimed + " is not timed");
        }
        // The shipped Grafana dashboard reads only metrics that exist.
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("basedir", "."),
                "ops", "grafana", "autoflow-gateway-dashboard.json"));
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("autoflow_[a-z_]+").matcher(dashboard);
        while (used.find()) {
            assertTrue(after.contains(used.group()), "the dashboard's " + used.group() + " is scraped");
        }
        String sessionId = ok.json().path("session_id").asText();
        assertFalse(after.contains(sessionId), "no session id in labels");

        JsonNode line = Expect.eventually(this::turnLine, l -> l != null, Duration.ofSeconds(10), "the turn log line");
        for (String field : List.of("timestamp", "level", "plugin", "session_id", "event", "duration_ms",
                "tokens_used", "success", "request_id")) {
            assertNotNull(line.get(field), field + " in " + line);
        }
        assertEquals("autoflow_client", line.path("plugin").asText());
        assertEquals(sessionId, line.path("session_id").asText());
        assertTrue(line.path("success").asBoolean());
        String question = line.path("question").asText();
        assertTrue(question.contains("[REDACTED]"), "body logging is on, redacted: " + question);
        assertFalse(question.contains("ta-abcdefghij") || question.contains("ops@example.com"), question);

        ConsumerTemplate events = context.createConsumerTemplate();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonNode event = JSON.readTree(events.receiveBody("seda:test-events", 10_000, String.class));
            types.add(event.path("type").asText());
            assertNotNull(event.get("timestamp"));
        }
        assertEquals(List.of("SessionCreated", "MessageSent", "MessageReceived", "Error"), types);
    }

    private JsonNode turnLine() {
        for (ILoggingEvent e : List.copyOf(turnLog.list)) {
            try {
                JsonNode json = JSON.readTree(new String(encoder.encode(e), StandardCharsets.UTF_8));
                if ("turn_complete".equals(json.path("event").asText())) {
                    return json;
                }
            } catch (Exception ignored) {
                return null;
            }
        }
        return null;
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(managementBase() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static boolean routeTimed(String scrape, String routeId) {
        return scrape.lines().anyMatch(l -> l.startsWith("camel_route_policy_seconds_count{")
                && l.contains("routeId=\"" + routeId + "\""));
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
