package io.autoflow.gateway.tracing;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.autoflow.gateway.Application;
import io.autoflow.gateway.e2e.GatewayClient;
import io.autoflow.gateway.faults.FaultyUpstream;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import io.autoflow.gateway.testing.BootedGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Boots the whole gateway once per class against a {@link FaultyUpstream} (as the fault tests do), so a test sees
 * exactly which headers reach the upstream. Requests are sent with a plain JDK client, any headers the test wants,
 * repeated names included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TracingGateway extends BootedGateway {

    /** The upstream key the gateway sends. */
    static final String UPSTREAM_KEY = "ta-upstream-" + "Zq9".repeat(6);
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT_ID = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";
    static final String TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    protected final FaultyUpstream upstream = FaultyUpstream.start();
    private String base;

    @Override
    protected void defaults(Properties p) {
        p.put("autoflow.base-url", upstream.baseUrl());
        p.put("autoflow.api-key", UPSTREAM_KEY);
        p.put("autoflow.timeout", "5");
        p.put("autoflow.idle-timeout", "5");
        p.put("autoflow.max-retries", "3");
        p.put("autoflow.retry.initial-delay", "0.01");
        p.put("autoflow.retry.max-delay", "0.05");
        p.put("autoflow.breaker.sliding-window-size", "1000");
        p.put("autoflow.breaker.minimum-calls", "1000");
    }

    /** Each class's own properties, over the defaults above. */
    @Override
    protected void configure(Properties properties) {
    }

    @BeforeEach
    void cleanSlate() {
        upstream.reset();
        base = "http://127.0.0.1:" + context().hasService(VertxPlatformHttpServer.class).getServer().actualPort();
    }

    @Override
    protected void afterShutdown() {
        upstream.close();
    }

    /**
     * POSTs a question to {@code path} with these headers (name, value, name, value, ...; a name may repeat)
     * and returns the whole answer, a streamed one included (the stream ends when the answer does).
     */
    GatewayClient.Reply ask(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Why are my TiKV writes slow?\"}"));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new GatewayClient.Reply(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        }
    }

    /** A JSON answer that succeeded, with the upstream's full text. */
    static void assertAnswered(GatewayClient.Reply r) {
        assertEquals(200, r.status(), r.body());
        assertEquals(FaultyUpstream.FULL_TEXT, r.json().path("text").asText(), r.body());
    }

    /** The headers of the upstream's only call. */
    Map<String, String> onlyUpstreamCall() {
        List<Map<String, String>> calls = upstream.headers();
        assertEquals(1, calls.size(), "upstream calls: " + calls);
        return calls.get(0);
    }
}
