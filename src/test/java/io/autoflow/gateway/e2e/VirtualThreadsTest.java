package io.autoflow.gateway.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On virtual threads the worker pool size no longer caps open streams: with a pool of 2, 24 streams are open
 * at once (every one has its first token before any has ended). On platform threads they would queue two by
 * two. .ci/run runs this class again on Java 25, since the build's own JVM is Java 17.
 */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0",
        "gateway.threads=virtual", "gateway.worker-pool-size=2",
        "autoflow.simulator.token-delay=0.03", "autoflow.simulator.first-token-delay=0.05",
        "gateway.rate-limit.burst=1000", "gateway.rate-limit.per-minute=60000",
        "gateway.concurrency.per-client=100", "gateway.concurrency.total=100" })
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTest {

    private static final int STREAMS = 24;

    @BeanInject
    CamelContext context;

    @Test
    void manyMoreStreamsThanWorkerThreadsAreOpenAtOnceAndAllEndWell() throws Exception {
        GatewayClient client = new GatewayClient(context);
        ExecutorService callers = Executors.newFixedThreadPool(STREAMS);
        try {
            List<Future<GatewayClient.StreamReply>> replies = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                String body = "{\"message\":\"Why is region " + i + " hot?\"}";
                replies.add(callers.submit(() -> client.stream("/api/rca/chat/stream", body, e -> { })));
            }
            long lastFirstToken = Long.MIN_VALUE;
            long firstEnd = Long.MAX_VALUE;
            for (Future<GatewayClient.StreamReply> f : replies) {
                GatewayClient.StreamReply reply = f.get();
                assertEquals(200, reply.status());
                assertEquals(1, reply.named("done").size(), "every stream ends with its done event");
                lastFirstToken = Math.max(lastFirstToken, reply.textEvents().get(0).arrivedNanos());
                firstEnd = Math.min(firstEnd, reply.last().arrivedNanos());
            }
            assertTrue(lastFirstToken < firstEnd, "all " + STREAMS + " streams were open at the same time");
        } finally {
            callers.shutdownNow();
        }
    }
}
