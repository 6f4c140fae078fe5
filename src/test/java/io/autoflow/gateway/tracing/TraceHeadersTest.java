package io.autoflow.gateway.tracing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.autoflow.gateway.e2e.GatewayClient;
import io.autoflow.gateway.faults.FaultyUpstream;
import org.apache.camel.spi.CamelTracingService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * W3C trace context with tracing off (the default): the client's traceparent and tracestate reach the
 * upstream as sent, a malformed traceparent is dropped without failing the call, and no other client header
 * ever reaches the upstream.
 */
class TraceHeadersTest extends TracingGateway {

    /** What the gateway's upstream call may carry: its own headers and HttpClient's. Nothing of the client's. */
    static final Set<String> UPSTREAM_HEADERS = Set.of("host", "connection", "content-type", "content-length",
            "transfer-encoding", "accept", "accept-encoding", "user-agent", "authorization", "x-request-id",
            "traceparent", "tracestate");

    @Test
    void aClientTraceparentReachesTheUpstreamUnchanged() {
        assertAnswered(ask("/api/rca/chat", "traceparent", TRACEPARENT));
        String sent = onlyUpstreamCall().get("traceparent");
        assertEquals(TRACEPARENT, sent);
        // The policy with tracing off: same trace-id AND same parent-id (the gateway reports no span to be a parent).
        assertEquals(TRACE_ID, sent.substring(3, 35));
        assertEquals(PARENT_ID, sent.substring(36, 52));
        assertNull(onlyUpstreamCall().get("tracestate"), "no tracestate was sent, none is invented");
    }

    @Test
    void aStreamedAnswerCarriesItToo() {
        GatewayClient.Reply r = ask("/api/rca/chat/stream", "traceparent", TRACEPARENT, "tracestate", TRACESTATE);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("text/event-stream"), r.header("Content-Type"));
        assertTrue(r.body().contains("event: done"), r.body());
        assertEquals(TRACEPARENT, onlyUpstreamCall().get("traceparent"));
        assertEquals(TRACESTATE, onlyUpstreamCall().get("tracestate"));
    }

    @Test
    void tracestatePassesAlong() {
        assertAnswered(ask("/api/rca/chat", "traceparent", TRACEPARENT, "tracestate", TRACESTATE));
        assertEquals(TRACEPARENT, onlyUpstreamCall().get("traceparent"));
        assertEquals(TRACESTATE, onlyUpstreamCall().get("tracestate"));
    }

    @Test
    void severalTracestateHeadersGoAsOneList() {
        assertAnswered(ask("/api/rca/chat", "traceparent", TRACEPARENT, "tracestate", "congo=t61rcWkgMzE",
                "tracestate", "rojo=00f067aa0ba902b7"));
        assertEquals("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", onlyUpstreamCall().get("tracestate"));
    }

    @Test
    void aMalformedTracestateIsDroppedAndTheTraceparentStillGoes() {
        assertAnswered(ask("/api/rca/chat", "traceparent", TRACEPARENT, "tracestate", "Not A Key=1,rojo=2"));
        assertEquals(TRACEPARENT, onlyUpstreamCall().get("traceparent"));
        assertNull(onlyUpstreamCall().get("tracestate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "garbage",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace-id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent-id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 is exactly 55 characters
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // short trace-id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // short flags
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", // separators
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", // not hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01,00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    })
    void aMalformedTraceparentIsIgnoredAndTheCallSucceeds(String malformed) {
        assertAnswered(ask("/api/rca/chat", "traceparent", malformed, "tracestate", TRACESTATE));
        Map<String, String> h = onlyUpstreamCall();
        assertNull(h.get("traceparent"), h.toString());
        assertNull(h.get("tracestate"), "tracestate never goes without a valid traceparent: " + h);
    }

    @Test
    void aTraceparentSentTwiceIsIgnored() {
        assertAnswered(ask("/api/rca/chat", "traceparent", TRACEPARENT, "traceparent",
                "00-" + TRACE_ID + "-b7ad6b7169203331-01"));
        assertNull(onlyUpstreamCall().get("traceparent"));
    }

    @Test
    void aLaterVersionGoesUpstreamAsVersion00() {
        assertAnswered(ask("/api/rca/chat", "traceparent", "cc-" + TRACE_ID + "-" + PARENT_ID + "-01-what-the-future-adds"));
        assertEquals(TRACEPARENT, onlyUpstreamCall().get("traceparent"));
    }

    @Test
    void withoutATraceparentTheGatewayStartsNoTrace() {
        assertAnswered(ask("/api/rca/chat", "tracestate", TRACESTATE));
        Map<String, String> h = onlyUpstreamCall();
        assertNull(h.get("traceparent"), h.toString());
        assertNull(h.get("tracestate"), h.toString());
        assertFalse(h.get("x-request-id").isBlank(), "the request id still names the call upstream");
    }

    @Test
    void everyRetryCarriesTheClientsTraceContext() {
        // The retry's message holds the 503's headers by then: the trace context must come from the client's request.
        upstream.then(FaultyUpstream.status(503), FaultyUpstream.resetConnection());
        assertAnswered(ask("/api/rca/chat", "traceparent", TRACEPARENT, "tracestate", TRACESTATE,
                "X-Request-Id", "trace-retry-1"));
        List<Map<String, String>> calls = upstream.headers();
        assertEquals(3, calls.size(), calls.toString());
        for (Map<String, String> h : calls) {
            assertEquals(TRACEPARENT, h.get("traceparent"), calls.toString());
            assertEquals(TRACESTATE, h.get("tracestate"), calls.toString());
            assertEquals("trace-retry-1", h.get("x-request-id"), calls.toString());
        }
    }

    @Test
    void noOtherClientHeaderReachesTheUpstream() {
        String[] clientHeaders = { "Authorization", "Bearer client-secret-authorization", "X-API-Key",
            "client-secret-api-key", "Cookie", "session=client-secret-cookie", "baggage", "user=client-secret-baggage",
            "X-Forwarded-For", "203.0.113.9", "X-Custom", "client-secret-custom", "Accept-Language", "de",
            "Origin", "https://client.example", "traceparent", TRACEPARENT, "tracestate", TRACESTATE };
        assertAnswered(ask("/api/rca/chat", clientHeaders));
        assertEquals(200, ask("/api/rca/chat/stream", clientHeaders).status());
        List<Map<String, String>> calls = upstream.headers();
        assertEquals(2, calls.size(), calls.toString());
        for (Map<String, String> h : calls) {
            Set<String> unexpected = new TreeSet<>(h.keySet());
            unexpected.removeAll(UPSTREAM_HEADERS);
            assertEquals(Set.of(), unexpected, "headers the upstream should not see: " + h);
            assertEquals("Bearer " + UPSTREAM_KEY, h.get("authorization"), "the gateway's key, never the client's");
            assertFalse(h.toString().contains("client-secret"), h.toString());
            assertFalse(h.toString().contains("203.0.113.9"), h.toString());
            assertEquals(TRACEPARENT, h.get("traceparent"));
        }
    }

    @Test
    void tracingIsOffByDefaultAndCostsNothing() {
        assertNull(context().hasService(CamelTracingService.class), "no tracer service: no notifier, no route policy");
        assertTrue(context().getRoutePolicyFactories().stream()
                .noneMatch(f -> f.getClass().getName().contains("telemetry")), context().getRoutePolicyFactories().toString());
    }
}
