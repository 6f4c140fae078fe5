package org.apache.camel.component.platform.http.vertx;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Opens platform-http-vertx's response writer, package-private in Camel 4.18, to the gateway's
 * {@code io.autoflow.gateway.server.AsyncRouteConsumer}: its answers are written exactly as Camel's own
 * consumer writes them (status, headers through the filter strategy, body conversions).
 */
public final class ResponseWriter {

    private ResponseWriter() {
    }

    public static Future<Void> write(RoutingContext ctx, Exchange exchange, HeaderFilterStrategy headers,
            boolean muteExceptions) {
        return VertxPlatformHttpSupport.writeResponse(ctx, exchange, headers, muteExceptions);
    }
}
