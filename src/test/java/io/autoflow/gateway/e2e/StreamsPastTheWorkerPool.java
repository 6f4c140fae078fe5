package io.autoflow.gateway.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker pool does not cap open streams: with a pool of 2, 24 streams are open at once (every one has
 * its first token before any has ended), since an open answer holds no thread. Were a thread held per
 * stream, they would queue two by two. One subclass per thread model.
 */
abstract class StreamsPastTheWorkerPool {

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
