package io.autoflow.gateway.faults;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.autoflow.gateway.e2e.GatewayClient;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway pointed at a port nothing listens on: connection refused. Nothing answers, so the attempts
 * are counted where the gateway makes them, as Camel sends to the upstream endpoint.
 */
class UnreachableUpstreamTest extends GatewayUnderFaults {

    private static final int MAX_RETRIES = 3;
    private final int deadPort = FaultyUpstream.deadPort();
    private final AtomicInteger attempts = new AtomicInteger();

    @Override
    protected void configure(Properties p) {
        p.put("autoflow.base-url", "http://127.0.0.1:" + deadPort + "/api/v1");
        p.put("autoflow.max-retries", Integer.toString(MAX_RETRIES));
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().contains(":" + deadPort + "/")) {
                    attempts.incrementAndGet();
                }
            }
        });
        return context;
    }

    @BeforeEach
    void countAfresh() {
        attempts.set(0);
    }

    @Test
    void aRefusedConnectionIsRetriedThenA502() throws Exception {
        String session = newSession();

        GatewayClient.Reply r = postWithin("/api/rca/chat", chatBody(session, "Hello?"), Duration.ofSeconds(20));

        assertAll(() -> assertError(r, 502, "upstream_error"),
                () -> assertEquals(1 + MAX_RETRIES, attempts.get(), "attempts at the upstream"));
        assertTurnRecorded(session, "Hello?", "failed");
    }

    @Test
    void aStreamThatCannotStartIsAnErrorAnswerNotAStream() throws Exception {
        GatewayClient.Reply r = postWithin("/api/rca/chat/stream", chatBody(null, "Hello?"), Duration.ofSeconds(20));

        assertAll(() -> assertError(r, 502, "upstream_error"),
                () -> assertEquals(1 + MAX_RETRIES, attempts.get(), "attempts at the upstream"));
    }

    @Test
    void healthSaysTheUpstreamIsDown() {
        GatewayClient.Reply health = client.get("/api/rca/health");

        assertEquals(503, health.status(), health.body());
        assertEquals("Unhealthy", health.json().path("status").asText(), health.body());
        boolean upstreamDown = false;
        for (var check : health.json().path("checks")) {
            upstreamDown |= "upstream".equals(check.path("name").asText())
                    && "Unhealthy".equals(check.path("status").asText());
        }
        assertEquals(true, upstreamDown, health.body());
    }
}
