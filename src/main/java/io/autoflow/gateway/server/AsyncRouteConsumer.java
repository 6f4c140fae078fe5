package io.autoflow.gateway.server;

import java.util.List;
import java.util.Set;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.DefaultPlatformHttpConsumer;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.ResponseWriter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;

/**
 * platform-http-vertx's consumer, except that the route runs asynchronously. Camel 4.18's consumer runs
 * each route with a blocking call on a worker thread, which then waits until the answer ends: one thread
 * per open stream. Here no thread waits for an answer: the answer is written on the client connection's
 * event loop when the route completes. A route whose steps never block (the chat and session routes:
 * {@code gateway.event-loop-routes}) runs on that event loop from the start, which saves a thread hop per
 * request (about half a chat's CPU back to back in a first A/B on one core, bench/README.md); any other route starts on a
 * worker thread, as in Camel's consumer, and gives it back at its first asynchronous step.
 *
 * <p>Requests are read exactly as Camel's consumer reads them; form bodies are not turned into headers
 * (the gateway's API takes JSON only).
 */
final class AsyncRouteConsumer extends VertxPlatformHttpConsumer {

    private final Set<String> eventLoopRoutes;
    private volatile boolean onEventLoop;

    AsyncRouteConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
            String routerName, Set<String> eventLoopRoutes) {
        super(endpoint, processor, handlers, routerName);
        this.eventLoopRoutes = eventLoopRoutes;
    }

    @Override
    protected void doStart() throws Exception {
        // Before the handler is registered. The route's consumer is Camel's DefaultPlatformHttpConsumer, which
        // wraps this one and holds the route id.
        onEventLoop = getEndpoint().getCamelContext().getRoutes().stream()
                .anyMatch(route -> route.getConsumer() instanceof DefaultPlatformHttpConsumer outer
                        && outer.getPlatformHttpConsumer() == this && eventLoopRoutes.contains(route.getId()));
        super.doStart();
    }

    @Override
    protected void handleRequest(RoutingContext ctx) {
        if (isSuspended()) {
            ctx.response().setStatusCode(503);
            ctx.end();
            return;
        }
        Context connection = Vertx.currentContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        processHttpRequest(exchange, ctx).onComplete(read -> {
            if (read.failed()) {
                fail(exchange, ctx, read.cause());
                return;
            }
            if (onEventLoop) {
                try {
                    route(exchange, ctx, connection);
                } catch (Exception e) {
                    fail(exchange, ctx, e);
                }
            } else {
                ctx.vertx().executeBlocking(() -> route(exchange, ctx, connection), false)
                        .onFailure(e -> fail(exchange, ctx, e));
            }
        });
    }

    private Void route(Exchange exchange, RoutingContext ctx, Context connection) throws Exception {
        createUoW(exchange);
        getAsyncProcessor().process(exchange, doneSync -> {
            // Usually already on the connection's event loop (the upstream's answer arrives there).
            if (Vertx.currentContext() == connection) {
                respond(exchange, ctx);
            } else {
                connection.runOnContext(v -> respond(exchange, ctx));
            }
        });
        return null;
    }

    private void respond(Exchange exchange, RoutingContext ctx) {
        ResponseWriter.write(ctx, exchange, getEndpoint().getHeaderFilterStrategy(), getEndpoint().isMuteException())
                .onComplete(written -> {
                    if (written.succeeded()) {
                        done(exchange);
                    } else {
                        fail(exchange, ctx, written.cause());
                    }
                });
    }

    private void fail(Exchange exchange, RoutingContext ctx, Throwable failure) {
        getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(),
                failure);
        ctx.fail(failure);
        if (getEndpoint().isHandleWriteResponseError() && failure != null) {
            Exception existing = exchange.getException();
            if (existing != null) {
                failure.addSuppressed(existing);
            }
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
            exchange.setException(failure);
        }
        done(exchange);
    }

    private void done(Exchange exchange) {
        doneUoW(exchange);
        releaseExchange(exchange, false);
    }
}
