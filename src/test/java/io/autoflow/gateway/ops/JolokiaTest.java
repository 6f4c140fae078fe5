package io.autoflow.gateway.ops;

import io.autoflow.gateway.testing.BootedGateway;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.chat.UpstreamBreaker;
import io.autoflow.gateway.e2e.GatewayClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Jolokia on the management port, over real HTTP, with the shipped policy (src/main/resources/jolokia-access.xml):
 * route and processor MBeans are named by the YAML ids and their counters move with traffic; the operations
 * Hawtio needs work; everything else, GET requests, foreign browser origins and non-local clients are refused;
 * nothing readable carries a key.
 */
class JolokiaTest extends BootedGateway {

    private static final String CONTEXT = "org.apache.camel:context=autoflow-gateway";
    private static final String CONTEXT_MBEAN = CONTEXT + ",type=context,name=\"autoflow-gateway\"";
    private static final String CHAT_ROUTE = CONTEXT + ",type=routes,name=\"chat\"";
    private static final String BREAKER = CONTEXT + ",type=processors,name=\"autoflow-breaker\"";
    private static final String CLEANUP_ROUTE = CONTEXT + ",type=routes,name=\"session-cleanup\"";
    /** Markers that must never appear in anything Jolokia serves. */
    private static final String UPSTREAM_KEY = "ta-opsUpstreamKey" + "Q7".repeat(10);
    private static final String CLIENT_KEY = "ops-client-key-" + "Z9".repeat(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected boolean jmx() {
        return true;
    }

    @Override
    protected void configure(Properties p) {
        p.put("autoflow.api-key", UPSTREAM_KEY);
        p.put("gateway.api-keys", CLIENT_KEY + "=ops");
    }

    private GatewayClient api() {
        return client().withKey(CLIENT_KEY);
    }

    // ---- Jolokia over HTTP --------------------------------------------------------------------------

    private record Answer(int httpStatus, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Jolokia answered with no JSON: " + body, e);
            }
        }

        /** Jolokia's own status inside the JSON (200, or 403 when the policy refuses). */
        int status() {
            return json().path("status").asInt();
        }

        JsonNode value() {
            return json().path("value");
        }
    }

    private Answer post(String base, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/observe/jolokia"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private Answer jolokia(String json, String... headers) {
        return post(managementBase(), json, headers);
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(String mbean, String attribute) {
        return "{\"type\":\"read\",\"mbean\":" + MAPPER.valueToTree(mbean) + ",\"attribute\":\"" + attribute + "\"}";
    }

    private static String exec(String mbean, String operation) {
        return "{\"type\":\"exec\",\"mbean\":" + MAPPER.valueToTree(mbean) + ",\"operation\":\"" + operation + "\"}";
    }

    private JsonNode readOk(String mbean, String attribute) {
        Answer a = jolokia(read(mbean, attribute));
        assertEquals(200, a.httpStatus(), a.body());
        assertEquals(200, a.status(), a.body());
        return a.value();
    }

    private long exchangesTotal() {
        return readOk(CHAT_ROUTE, "ExchangesTotal").asLong();
    }

    /** The policy refused: Jolokia's 403 with a SecurityException-style message, and no value. */
    private static void assertForbidden(Answer a) {
        assertEquals(200, a.httpStatus(), "Jolokia reports a refusal inside its JSON: " + a.body());
        assertEquals(403, a.status(), a.body());
        assertTrue(a.json().path("error").asText().matches("(?s).*(forbidden|not allowed).*"), a.body());
        assertTrue(a.json().path("value").isMissingNode(), a.body());
    }

    /** Refused before any request handling (client address, origin): not an answer with a value. */
    private static void assertRefusedAtTheDoor(Answer a) {
        assertNotEquals(200, a.httpStatus(), a.body());
        assertTrue(a.json().path("value").isMissingNode(), a.body());
        assertTrue(a.json().path(".error").asBoolean(), a.body());
    }

    // ---- reads ----------------------------------------------------------------------------------------

    @Test
    void theChatRoutesExchangesTotalGrowsWithTraffic() {
        long before = exchangesTotal();

        GatewayClient.Reply answer = api().post("/api/rca/chat", chatBody("Why is my TiDB cluster slow?"));
        assertEquals(200, answer.status(), answer.body());
        GatewayClient.Reply second = api().post("/api/rca/chat/stream", chatBody("And TiKV?"));
        assertEquals(200, second.status(), second.body());

        // The counter moves when the exchange completes, just after the client has its answer.
        long after = eventually(this::exchangesTotal, n -> n >= before + 2, Duration.ofSeconds(10),
                "ExchangesTotal of route chat counts both answers (was " + before + ")");
        assertEquals(before + 2, after);
        assertEquals("Started", readOk(CHAT_ROUTE, "State").asText());
    }

    @Test
    void theBreakerStepReportsTheGatewaysBreakerState() {
        assertEquals("CLOSED", readOk(BREAKER, "CircuitBreakerState").asText());
        assertEquals(0, readOk(BREAKER, "NumberOfFailedCalls").asInt());

        // The MBean reads the breaker the gateway built (health and Retry-After read the same one).
        CircuitBreaker breaker = context().getRegistry().lookupByNameAndType("upstreamBreaker", UpstreamBreaker.class)
                .circuitBreaker();
        try {
            breaker.transitionToForcedOpenState();
            assertEquals("FORCED_OPEN", readOk(BREAKER, "CircuitBreakerState").asText());
        } finally {
            breaker.reset();
        }
        assertEquals("CLOSED", readOk(BREAKER, "CircuitBreakerState").asText());
    }

    @Test
    void processorMBeansCarryThePipelinesStepIds() {
        Answer search = jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=processors,*\"}");
        assertEquals(200, search.status(), search.body());
        List<ObjectName> names = new ArrayList<>();
        search.value().forEach(n -> names.add(name(n.asText())));
        for (String step : List.of("identify-client", "validate-request", "throttle", "throttle-client",
                "enrich-session", "autoflow-breaker", "call-autoflow", "record-turn", "respond")) {
            assertTrue(names.contains(name(CONTEXT + ",type=processors,name=\"" + step + "\"")),
                    "a processor MBean named " + step + " among " + names);
        }
    }

    @Test
    void versionListAndSearchAreOpenForHawtio() {
        Answer version = jolokia("{\"type\":\"version\"}");
        assertEquals(200, version.status(), version.body());
        assertTrue(version.value().path("agent").asText().startsWith("2."), version.body());

        Answer list = jolokia("{\"type\":\"list\",\"path\":\"org.apache.camel\",\"config\":{\"maxDepth\":2}}");
        assertEquals(200, list.status(), list.body());
        List<ObjectName> listed = new ArrayList<>();
        list.value().fieldNames().forEachRemaining(key -> listed.add(name("org.apache.camel:" + key)));
        assertTrue(listed.contains(name(CHAT_ROUTE)), "route chat is listed: " + listed);

        // Reading all attributes of all Camel MBeans at once, as Hawtio's tables do.
        Answer all = jolokia("{\"type\":\"read\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        assertEquals(200, all.status(), all.body());
        List<ObjectName> read = new ArrayList<>();
        all.value().fieldNames().forEachRemaining(key -> read.add(name(key)));
        assertTrue(read.contains(name(CHAT_ROUTE)), "route chat is read: " + read);
        assertTrue(all.value().size() >= 10, "every route is read: " + read);
    }

    // ---- operations -----------------------------------------------------------------------------------

    @Test
    void hawtiosRouteOperationsWork() {
        try {
            Answer stop = jolokia(exec(CLEANUP_ROUTE, "stop()"));
            assertEquals(200, stop.status(), stop.body());
            assertEquals("Stopped", readOk(CLEANUP_ROUTE, "State").asText());
        } finally {
            Answer start = jolokia(exec(CLEANUP_ROUTE, "start()"));
            assertEquals(200, start.status(), start.body());
        }
        assertEquals("Started", readOk(CLEANUP_ROUTE, "State").asText());

        Answer source = jolokia(exec(CONTEXT_MBEAN, "dumpRoutesAsXml()"));
        assertEquals(200, source.status(), source.body());
        assertTrue(source.value().asText().contains("call-autoflow"), source.body());
    }

    @Test
    void everyOtherOperationIsRefused() {
        assertAll(
                () -> assertForbidden(jolokia(exec("java.lang:type=Memory", "gc()"))),
                () -> assertForbidden(jolokia(exec("com.sun.management:type=HotSpotDiagnostic",
                        "dumpHeap(java.lang.String,boolean)"))),
                () -> assertForbidden(jolokia(exec(CHAT_ROUTE, "remove()"))),
                () -> assertForbidden(jolokia(exec(CHAT_ROUTE, "updateRouteFromXml(java.lang.String)"))),
                // Switching off a step would switch off authentication or validation.
                () -> assertForbidden(jolokia(exec(CONTEXT + ",type=processors,name=\"identify-client\"", "disable()"))),
                () -> assertForbidden(jolokia(exec(BREAKER, "transitionToForcedOpenState()"))),
                // The whole gateway is stopped with SIGTERM (graceful shutdown), not over HTTP.
                () -> assertForbidden(jolokia(exec(CONTEXT_MBEAN, "stop()"))),
                () -> assertForbidden(jolokia(exec(CONTEXT_MBEAN, "sendStringBody(java.lang.String,java.lang.String)"))),
                () -> assertForbidden(jolokia("{\"type\":\"write\",\"mbean\":" + MAPPER.valueToTree(CONTEXT_MBEAN)
                        + ",\"attribute\":\"Tracing\",\"value\":true}")));

        // And nothing happened: the routes are still there and running.
        assertEquals("Started", readOk(CHAT_ROUTE, "State").asText());
        assertEquals("CLOSED", readOk(BREAKER, "CircuitBreakerState").asText());
        GatewayClient.Reply answer = api().post("/api/rca/chat", chatBody("Still answering?"));
        assertEquals(200, answer.status(), answer.body());
    }

    // ---- who may call ---------------------------------------------------------------------------------

    @Test
    void getRequestsAreRefused() {
        // A web page can make a browser send GET (a link, an image) without any script: POST only.
        Answer get = send(HttpRequest.newBuilder(URI.create(managementBase() + "/observe/jolokia/read/"
                + "java.lang:type=Memory/HeapMemoryUsage")).GET().build());
        assertForbidden(get);
    }

    @Test
    void browserPagesFromOtherOriginsAreRefused() {
        assertRefusedAtTheDoor(jolokia("{\"type\":\"version\"}", "Origin", "https://attacker.example"));
        assertRefusedAtTheDoor(jolokia("{\"type\":\"version\"}", "Referer", "http://attacker.example/page"));
        assertEquals(200, jolokia("{\"type\":\"version\"}", "Origin", "http://localhost:8080").status());
    }

    @Test
    void onlyLoopbackClientsMayCallJolokia() {
        Optional<InetAddress> lan = nonLoopbackAddress();
        assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address to call from");
        String base = "http://" + lan.get().getHostAddress() + ":" + managementPort;

        assertRefusedAtTheDoor(post(base, "{\"type\":\"version\"}"));
        assertRefusedAtTheDoor(post(base, read(CHAT_ROUTE, "ExchangesTotal")));
        // The management server itself is reachable from there (probes, Prometheus): only Jolokia is local.
        Answer health = send(HttpRequest.newBuilder(URI.create(base + "/observe/health")).GET().build());
        assertEquals(200, health.httpStatus(), health.body());
    }

    // ---- secrets ----------------------------------------------------------------------------------------

    @Test
    void nothingReadableCarriesAKey() {
        Answer everything = jolokia("{\"type\":\"read\",\"mbean\":\"*:*\","
                + "\"config\":{\"ignoreErrors\":true,\"maxDepth\":6,\"maxCollectionSize\":5000}}");
        assertEquals(200, everything.status(), everything.body().substring(0, Math.min(500, everything.body().length())));
        assertTrue(everything.value().size() > 50, "every MBean was read");
        assertFalse(everything.body().contains(UPSTREAM_KEY), "the upstream key is readable through Jolokia");
        assertFalse(everything.body().contains(CLIENT_KEY), "a client key is readable through Jolokia");

        // Keys can be given as -D options: the JVM's arguments and system properties are not readable.
        assertForbidden(jolokia(read("java.lang:type=Runtime", "SystemProperties")));
        assertForbidden(jolokia(read("java.lang:type=Runtime", "InputArguments")));
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new AssertionError(name, e);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() {
        try {
            return NetworkInterface.networkInterfaces().filter(JolokiaTest::usable)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean usable(NetworkInterface n) {
        try {
            return n.isUp() && !n.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
