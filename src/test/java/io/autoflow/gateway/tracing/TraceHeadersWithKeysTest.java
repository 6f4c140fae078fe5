package io.autoflow.gateway.tracing;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** With client keys configured: the key a client authenticates with never reaches the upstream, in either header. */
class TraceHeadersWithKeysTest extends TracingGateway {

    private static final String CLIENT_KEY = "client-key-" + "s3cr3t".repeat(4);

    @Override
    protected void configure(Properties p) {
        p.put("gateway.api-keys", CLIENT_KEY + "=alice");
    }

    @Test
    void theClientsKeyStaysAtTheGateway() {
        assertAnswered(ask("/api/rca/chat", "Authorization", "Bearer " + CLIENT_KEY, "traceparent", TRACEPARENT));
        assertAnswered(ask("/api/rca/chat", "X-API-Key", CLIENT_KEY, "Cookie", "k=" + CLIENT_KEY));
        assertEquals(200, ask("/api/rca/chat/stream", "X-API-Key", CLIENT_KEY, "traceparent", TRACEPARENT).status());
        List<Map<String, String>> calls = upstream.headers();
        assertEquals(3, calls.size(), calls.toString());
        for (Map<String, String> h : calls) {
            assertEquals("Bearer " + UPSTREAM_KEY, h.get("authorization"), h.toString());
            assertFalse(h.toString().contains("s3cr3t"), h.toString());
            assertEquals(Map.of(), Map.copyOf(filterOut(h)), "headers the upstream should not see: " + h);
        }
        assertEquals(TRACEPARENT, calls.get(0).get("traceparent"));
        assertEquals(TRACEPARENT, calls.get(2).get("traceparent"));
    }

    private static Map<String, String> filterOut(Map<String, String> h) {
        Map<String, String> rest = new java.util.TreeMap<>(h);
        rest.keySet().removeAll(TraceHeadersTest.UPSTREAM_HEADERS);
        return rest;
    }
}
