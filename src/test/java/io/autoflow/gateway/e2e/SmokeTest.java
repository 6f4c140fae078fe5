package io.autoflow.gateway.e2e;

import io.autoflow.gateway.Application;
import io.autoflow.gateway.GatewayConfiguration;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@CamelMainTest(mainClass = Application.class,
        properties = { "camel.server.port=0", "camel.management.port=0", "autoflow.simulator.token-delay=0.001",
                "autoflow.simulator.first-token-delay=0.001" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmokeTest {

    @BeanInject
    CamelContext context;

    @Test
    void chatAnswersThroughTheWholePipeline() throws Exception {
        GatewayClient client = new GatewayClient(context);
        GatewayClient.Reply reply = client.post("/api/rca/chat", "{\"message\":\"Why is TiKV slow?\"}");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().path("text").asText().length() > 10, reply.body());
        GatewayClient.StreamReply stream = client.stream("/api/rca/chat/stream", "{\"message\":\"hello\"}", e -> { });
        assertEquals(200, stream.status());
        assertTrue(stream.text().length() > 10, stream.events().toString());
    }
}
