package io.autoflow.gateway.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.junit.jupiter.api.Test;

/** The component replaces camel-http's connection manager: the pool limits set on it must still hold. */
class UpstreamHttpComponentTest {

    @Test
    void poolLimitsFromTheComponentApply() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            UpstreamHttpComponent http = new UpstreamHttpComponent(2048);
            http.setMaxTotalConnections(321);
            http.setConnectionsPerRoute(123);
            context.addComponent("http", http);
            context.start();

            HttpEndpoint endpoint = context.getEndpoint("http://127.0.0.1:9/api/v1/chats", HttpEndpoint.class);
            PoolingHttpClientConnectionManager pool = assertInstanceOf(PoolingHttpClientConnectionManager.class,
                    endpoint.getClientConnectionManager());
            assertEquals(321, pool.getMaxTotal());
            assertEquals(123, pool.getDefaultMaxPerRoute());
        }
    }
}
