package io.autoflow.gateway.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More streams than Vert.x's default 20 workers are open at once: each one starts answering before any
 * of them finishes. With a 20-thread cap the 21st would wait for the first to end.
 */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "autoflow.simulator.token-delay=0.02", "autoflow.simulator.first-token-delay=0.3",
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=6000",
        "gateway.rate-limit.global-per-second=1000", "gateway.session.max=1000",
        "gateway.concurrency.per-client=1000" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyTest {

    private static final int STREAMS = 48;

    @BeanInject
    CamelContext context;

    @Test
    void streamsPastTheDefaultWorkerPoolAreAllOpenAtOnce() throws Exception {
        GatewayClient client = new GatewayClient(context);
        ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
        List<Future<GatewayClient.StreamReply>> replies = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            String question = "{\"message\":\"stream " + i + "\"}";
            replies.add(pool.submit(() -> client.stream("/api/rca/chat/stream", question, e -> { })));
        }
        long earliestDone = Long.MAX_VALUE;
        long latestFirstText = Long.MIN_VALUE;
        for (Future<GatewayClient.StreamReply> f : replies) {
            GatewayClient.StreamReply reply = f.get(120, TimeUnit.SECONDS);
            assertEquals(200, reply.status());
            assertEquals(1, reply.named("done").size(), "every stream completes");
            earliestDone = Math.min(earliestDone, reply.named("done").get(0).arrivedNanos());
            latestFirstText = Math.max(latestFirstText, reply.events().stream()
                    .filter(e -> e.event() == null).findFirst().orElseThrow().arrivedNanos());
        }
        pool.shutdown();
        assertTrue(latestFirstText < earliestDone,
                "all " + STREAMS + " streams were answering before the first one finished");
    }
}
