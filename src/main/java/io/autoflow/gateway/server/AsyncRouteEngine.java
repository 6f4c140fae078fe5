package io.autoflow.gateway.server;

import java.util.Set;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * platform-http-vertx's engine with {@link AsyncRouteConsumer}: bound in the registry as
 * {@code platform-http-engine}, where the platform-http component looks first.
 */
public final class AsyncRouteEngine extends VertxPlatformHttpEngine {

    private final Set<String> eventLoopRoutes;

    /** @param eventLoopRoutes ids of the routes that never block, so they run on the event loop from the start */
    public AsyncRouteEngine(Set<String> eventLoopRoutes) {
        this.eventLoopRoutes = Set.copyOf(eventLoopRoutes);
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new AsyncRouteConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()), eventLoopRoutes);
    }
}
