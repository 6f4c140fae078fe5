package io.autoflow.gateway.e2e;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.autoflow.gateway.Application;
import io.autoflow.gateway.lifecycle.GatewayLifecycle;
import io.autoflow.gateway.session.Session;
import io.autoflow.gateway.session.SessionStore;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM's path (the context stopping) while a stream is open: new work gets 503 with Retry-After, the
 * open stream gets the grace period and is then ended with an error event, and its session records it.
 */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0.2", "autoflow.simulator.first-token-delay=0", "gateway.shutdown.grace=1" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GracefulShutdownTest {

    @BeanInject
    CamelContext context;

    @BeanInject
    GatewayLifecycle lifecycle;

    @BeanInject
    SessionStore sessions;

    @Test
    void shutdownRefusesNewWorkAndEndsOpenStreamsWithAnError() throws Exception {
        GatewayClient client = new GatewayClient(context);
        CountDownLatch answering = new CountDownLatch(1);
        CompletableFuture<GatewayClient.StreamReply> open = CompletableFuture.supplyAsync(() -> {
            try {
                return client.stream("/api/rca/chat/stream", "{\"message\":\"a long answer\"}", e -> {
                    if (e.event() == null) {
                        answering.countDown();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(answering.await(30, TimeUnit.SECONDS));

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                context.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Expect.eventually(lifecycle::draining, d -> d, java.time.Duration.ofSeconds(10), "the gateway starts draining");

        GatewayClient.Reply refused = client.post("/api/rca/chat", "{\"message\":\"anyone?\"}");
        assertEquals(503, refused.status(), refused.body());
        assertEquals("shutting_down", refused.json().path("error").path("code").asText());
        assertNotNull(refused.header("Retry-After"));

        GatewayClient.StreamReply ended = open.get(30, TimeUnit.SECONDS);
        assertTrue(ended.named("done").isEmpty(), "the answer could not finish within the grace period");
        GatewayClient.SseEvent last = ended.events().get(ended.events().size() - 1);
        assertEquals("shutting_down", last.json().path("code").asText(), last.data());
        stopping.get(30, TimeUnit.SECONDS);

        String sessionId = ended.header("X-Session-Id");
        Session session = sessions.list("ip:127.0.0.1").stream()
                .filter(s -> s.id().equals(sessionId)).findFirst().orElseThrow();
        assertEquals("failed", session.messages().get(1).status(), "the session records the cut-off answer");
    }
}
