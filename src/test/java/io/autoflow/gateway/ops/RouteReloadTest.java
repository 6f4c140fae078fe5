package io.autoflow.gateway.ops;

import io.autoflow.gateway.testing.BootedGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.e2e.GatewayClient;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route reload as docs/operations-jmx-hawtio.md sets it up: the packaged route files copied into a directory,
 * the gateway loading its routes from there and watching it. Changing a file changes the running pipeline,
 * seen through the API, without a restart; putting the file back restores it. Run with Camel's default
 * routes-reload-remove-all-routes=true instead, these tests fail: the reload takes the routes down.
 */
class RouteReloadTest extends BootedGateway {

    private static final Duration RELOAD_WITHIN = Duration.ofSeconds(30);
    private static final String SECRET_QUESTION = "My password is hunter2, why can't I log in to TiDB?";

    private Path routesDir;
    private String originalChat;

    /** As in production: JMX on (reloaded routes re-register their MBeans). */
    @Override
    protected boolean jmx() {
        return true;
    }

    @Override
    protected void configure(Properties p) throws IOException {
        routesDir = Files.createTempDirectory("autoflow-routes-");
        copyPackagedRoutes(routesDir);
        originalChat = Files.readString(routesDir.resolve("chat.camel.yaml"));
        // The three settings the operations guide gives; the reload pattern and remove-all-routes=false come
        // from application.properties.
        p.put("camel.main.routes-include-pattern", "file:" + routesDir + "/*.camel.yaml");
        p.put("camel.main.routes-reload-enabled", "true");
        p.put("camel.main.routes-reload-directory", routesDir.toString());
    }

    @AfterEach
    void restoreTheRoutes() throws IOException {
        if (!Files.readString(routesDir.resolve("chat.camel.yaml")).equals(originalChat)) {
            restore("chat.camel.yaml", originalChat);
            assertEquals(200, ask(SECRET_QUESTION).status(), "the original chat route is back");
        }
    }

    @Override
    protected void afterShutdown() throws IOException {
        try (Stream<Path> files = Files.walk(routesDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aStepAddedToARouteFileIsLiveWithoutRestart() throws Exception {
        assertTrue(context().getRoutes().stream().allMatch(r -> r.getSourceResource() != null
                && r.getSourceResource().getLocation().startsWith("file:")),
                "every route comes from the directory, none from the jar");
        GatewayClient.Reply before = ask(SECRET_QUESTION);
        assertEquals(200, before.status(), before.body());
        String session = before.json().path("session_id").asText();

        // The README's worked example, saved into the running gateway's route directory.
        String anchor = "        - bean: {id: validate-request, ref: chatIntake, method: validate}\n";
        assertTrue(originalChat.contains(anchor), "chat.camel.yaml still has the validate-request step");
        replace("chat.camel.yaml", originalChat.replace(anchor, anchor + """
                        - filter:
                            id: refuse-secrets
                            simple: "${exchangeProperty.chatTurn.request.message} contains 'password'"
                            steps:
                              - throwException:
                                  exceptionType: io.autoflow.gateway.api.GatewayException
                                  message: "Do not paste passwords into the chat"
                """));

        GatewayClient.Reply refused = eventually(() -> ask(SECRET_QUESTION), r -> r.status() != 200, RELOAD_WITHIN,
                "the reloaded chat route refuses the question");
        assertEquals(400, refused.status(), refused.body());
        JsonNode error = refused.json().path("error");
        assertEquals("invalid_request", error.path("code").asText(), refused.body());
        assertEquals("Do not paste passwords into the chat", error.path("message").asText(), refused.body());
        assertEquals(error.path("request_id").asText(), refused.header("X-Request-Id"));

        // The rest of the pipeline runs on: other questions, streaming, sessions made before the reload.
        GatewayClient.Reply other = ask("Why is my TiDB cluster slow?");
        assertEquals(200, other.status(), other.body());
        assertFalse(other.json().path("text").asText().isBlank(), other.body());
        GatewayClient.StreamReply stream = client().stream("/api/rca/chat/stream",
                "{\"session_id\":\"" + session + "\",\"message\":\"And TiKV?\"}", e -> { });
        assertEquals(200, stream.status());
        assertEquals(1, stream.named("done").size(), stream.events().toString());
        assertEquals(200, client().get("/api/rca/session/" + session).status());
    }

    @Test
    void theGlobalThrottleRateIsChangedInPlace() throws IOException {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, ask("Question " + i + " before the change").status());
        }
        // One answer a minute for everyone: the second question is refused with the contract's 429.
        String throttle = "            constant: \"{{gateway.rate-limit.global-per-second}}\"\n"
                + "            timePeriodMillis: 1000\n";
        assertTrue(originalChat.contains(throttle), "chat.camel.yaml still has the global throttle");
        replace("chat.camel.yaml", originalChat.replace(throttle,
                "            constant: \"1\"\n            timePeriodMillis: 60000\n"));

        GatewayClient.Reply limited = eventually(() -> ask("Am I throttled yet?"), r -> r.status() == 429,
                RELOAD_WITHIN, "the reloaded throttle admits one answer a minute");
        assertEquals("rate_limited", limited.json().path("error").path("code").asText(), limited.body());
        assertTrue(limited.header("Retry-After") != null, limited.headers().toString());
    }

    @Test
    void aRestEndpointAddedToTheApiFileAnswers() throws IOException {
        String api = Files.readString(routesDir.resolve("api.camel.yaml"));
        String anchor = "      - path: /health\n        routeId: rest-api-health\n        to: direct:api-health\n";
        assertTrue(api.contains(anchor), "api.camel.yaml still has GET /api/rca/health");
        assertEquals(404, client().get("/api/rca/status").status());
        try {
            replace("api.camel.yaml", api.replace(anchor, anchor
                    + "      - path: /status\n        routeId: rest-api-status\n        to: direct:api-health\n"));

            GatewayClient.Reply status = eventually(() -> client().get("/api/rca/status"), r -> r.status() != 404,
                    RELOAD_WITHIN, "the new endpoint answers");
            assertEquals(200, status.status(), status.body());
            assertTrue(status.json().has("checks"), status.body());
            // Every route of the file came back, and the pipeline in the other files never stopped.
            GatewayClient.Reply created = client().post("/api/rca/session", "{}");
            assertEquals(201, created.status(), created.body());
            assertEquals(200, client().get("/api/rca/sessions").status());
            assertEquals(200, ask("Still answering after the API was reloaded?").status());
        } finally {
            // With routes-reload-remove-all-routes=false the new endpoint keeps running until a restart (a route
            // deleted from a file is not stopped): docs/operations-jmx-hawtio.md says so.
            restore("api.camel.yaml", api);
        }
    }

    private GatewayClient.Reply ask(String question) {
        return client().post("/api/rca/chat", chatBody(question));
    }

    /**
     * Puts a file back and waits until every route it still defines has been replaced by a started new one, so
     * the next test does not meet a route in the middle of its reload.
     */
    private void restore(String file, String content) throws IOException {
        Map<String, Route> before = new HashMap<>();
        for (Route r : context().getRoutes()) {
            // The routes the file held that it still defines (a route deleted from a file keeps running).
            if (r.getSourceResource() != null && r.getSourceResource().getLocation().endsWith("/" + file)
                    && content.matches("(?s).*\\b(id|routeId): " + Pattern.quote(r.getRouteId()) + "\\s.*")) {
                before.put(r.getRouteId(), r);
            }
        }
        replace(file, content);
        eventually(() -> before.entrySet().stream().allMatch(e -> {
            Route now = context().getRoute(e.getKey());
            return now != null && now != e.getValue()
                    && context().getRouteController().getRouteStatus(e.getKey()) == ServiceStatus.Started;
        }), Boolean::booleanValue, RELOAD_WITHIN, "the routes of " + file + " are reloaded: " + before.keySet());
    }

    /** Saves a route file the way an operator should: written aside, then moved over the old one at once. */
    private void replace(String file, String content) throws IOException {
        Path aside = routesDir.resolve("." + file + ".tmp");
        Files.writeString(aside, content, StandardCharsets.UTF_8);
        Files.move(aside, routesDir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The route files packaged in the jar (routes/ on the classpath), as an operator extracts them. */
    private static void copyPackagedRoutes(Path target) throws IOException {
        URL packaged = RouteReloadTest.class.getClassLoader().getResource("routes");
        if (packaged == null || !"file".equals(packaged.getProtocol())) {
            throw new IllegalStateException("the packaged routes are not a directory on the test classpath: " + packaged);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of(packaged.toURI()))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertFalse(files.isEmpty(), "no packaged route files under " + packaged);
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                Files.copy(in, target.resolve(f.getFileName()));
            }
        }
    }
}
