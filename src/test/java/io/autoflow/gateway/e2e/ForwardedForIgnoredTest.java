package io.autoflow.gateway.e2e;

import io.autoflow.gateway.Application;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With no trusted proxies (the default), X-Forwarded-For changes nobody's identity: the address is the peer's. */
@CamelMainTest(mainClass = Application.class, properties = { "camel.server.port=0", "camel.management.port=0" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedForIgnoredTest {

    @BeanInject
    CamelContext context;

    @Test
    void aClientCannotChooseItsAddress() {
        GatewayClient client = new GatewayClient(context);
        GatewayClient.Reply created = client.send("POST", "/api/rca/session", "{}", "X-Forwarded-For", "203.0.113.7");
        assertEquals(201, created.status(), created.body());
        String session = created.json().path("session_id").asText();

        assertEquals(200, client.send("GET", "/api/rca/session/" + session, null).status(), "the same peer");
        assertEquals(200, client.send("GET", "/api/rca/session/" + session, null, "X-Forwarded-For", "198.51.100.9")
                .status(), "the header is not believed from an untrusted peer");
    }
}
