package io.autoflow.gateway.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Caps on answers in flight: one client's streams never take the whole gateway. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "gateway.api-keys=key-a=alice,key-b=bob", "gateway.concurrency.per-client=2", "gateway.concurrency.total=3",
        "autoflow.simulator.token-delay=0.05", "autoflow.simulator.first-token-delay=0" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyLimitTest {

    @BeanInject
    CamelContext context;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterAll
    void stopPool() {
        pool.shutdownNow();
    }

    /** Starts a streamed answer and returns once its first text has arrived, so it is surely in flight. */
    private Future<GatewayClient.StreamReply> openStream(GatewayClient client) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Future<GatewayClient.StreamReply> reply = pool.submit(() -> client.stream("/api/rca/chat/stream",
                "{\"message\":\"a long answer please\"}", e -> {
                    if (e.event() == null) {
                        started.countDown();
                    }
                }));
        assertTrue(started.await(30, TimeUnit.SECONDS), "the stream started answering");
        return reply;
    }

    @Test
    void overTheClientCapIs429AndOverTheTotalIs503() throws Exception {
        GatewayClient alice = new GatewayClient(context, "key-a");
        GatewayClient bob = new GatewayClient(context, "key-b");
        List<Future<GatewayClient.StreamReply>> open = new ArrayList<>();
        open.add(openStream(alice));
        open.add(openStream(alice));

        GatewayClient.Reply third = alice.post("/api/rca/chat", "{\"message\":\"one more\"}");
        assertEquals(429, third.status(), third.body());
        assertEquals("rate_limited", third.json().path("error").path("code").asText());
        assertNotNull(third.header("Retry-After"));

        open.add(openStream(bob));
        GatewayClient.Reply overTotal = bob.post("/api/rca/chat", "{\"message\":\"and another\"}");
        assertEquals(503, overTotal.status(), overTotal.body());
        assertEquals("gateway_busy", overTotal.json().path("error").path("code").asText());
        assertNotNull(overTotal.header("Retry-After"));

        for (Future<GatewayClient.StreamReply> f : open) {
            assertEquals(1, f.get(60, TimeUnit.SECONDS).named("done").size(), "the open streams still finish");
        }
        GatewayClient.Reply afterwards = alice.post("/api/rca/chat", "{\"message\":\"now?\"}");
        assertEquals(200, afterwards.status(), "permits are given back when answers end: " + afterwards.body());
    }
}
