package io.autoflow.gateway.api;

import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.chat.AnswerRelay;
import io.autoflow.gateway.lifecycle.GatewayLifecycle;
import io.autoflow.gateway.observability.GatewayEvents;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The contract's error body for answers the HTTP server gives before any route runs: unknown path,
 * wrong method, a body over the size limit, a body the form parser rejects, and, while shutting down,
 * paths whose routes have already stopped.
 */
public final class HttpFallbacks extends LifecycleStrategySupport {

    private final ObjectMapper mapper;
    private final GatewayLifecycle lifecycle;
    private final GatewayEvents events;
    private final long maxBodyBytes;
    private final String corsOrigin;
    private final int apiPort;

    public HttpFallbacks(ObjectMapper mapper, GatewayLifecycle lifecycle, GatewayEvents events, long maxBodyBytes,
            String corsOrigin, int apiPort) {
        this.events = events;
        this.apiPort = apiPort;
        this.mapper = mapper;
        this.lifecycle = lifecycle;
        this.maxBodyBytes = maxBodyBytes;
        this.corsOrigin = corsOrigin;
    }

    @Override
    public void onContextStarted(CamelContext context) {
        // The API server's router is registered under a name made from its configured port.
        VertxPlatformHttpRouter router =
                VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(apiPort));
        if (router == null) {
            throw new IllegalStateException("the API server's router was not found: cannot install error answers");
        }
        PlatformHttpComponent http = context.getComponent("platform-http", PlatformHttpComponent.class);
        // The camel routes' router is mounted inside the server's own, whose error handlers Camel does not
        // expose: a last catch-all route and a failure handler on it answer in the contract's shape instead.
        router.route().last().handler(rc -> answer(rc, unmatched(rc, http)));
        // Ahead of every route: while shutting down, Camel's suspended consumers would answer a bare 503.
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            if (lifecycle.draining()) {
                answer(rc, GatewayLifecycle.shuttingDown());
            } else {
                rc.next();
            }
        });
        router.route().failureHandler(rc -> answer(rc, switch (rc.statusCode()) {
            case 413 -> new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + maxBodyBytes + " bytes");
            case 400 -> new GatewayException(ErrorCode.INVALID_REQUEST,
                    "The request could not be read: send JSON with 'Content-Type: application/json'");
            default -> new GatewayException(ErrorCode.INTERNAL_ERROR, "The gateway failed to handle the request");
        }));
    }

    /** 405 when a route serves the path with other methods, 404 when none does (503 while shutting down). */
    private GatewayException unmatched(RoutingContext rc, PlatformHttpComponent http) {
        if (lifecycle.draining()) {
            return GatewayLifecycle.shuttingDown();
        }
        String path = rc.request().path();
        for (HttpEndpointModel endpoint : http.getHttpEndpoints()) {
            if (path.matches(endpoint.getUri().replaceAll("\\{[^/]+}", "[^/]+"))) {
                return new GatewayException(ErrorCode.METHOD_NOT_ALLOWED,
                        "This endpoint does not accept " + rc.request().method().name());
            }
        }
        return new GatewayException(ErrorCode.NOT_FOUND, "No such endpoint: see the API in the README");
    }

    private void answer(RoutingContext rc, GatewayException error) {
        HttpServerResponse response = rc.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        String requestId = HttpExchanges.safeRequestId(rc.request().getHeader(HttpExchanges.REQUEST_ID));
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
        }
        response.setStatusCode(error.code().status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader(HttpExchanges.REQUEST_ID, requestId)
                .putHeader("Access-Control-Allow-Origin", corsOrigin)
                .putHeader("Access-Control-Expose-Headers", AnswerRelay.EXPOSED_HEADERS);
        events.error(requestId, null, error.code().code(), error.code().status());
        if (error.retryAfter() != null) {
            response.putHeader("Retry-After", Long.toString(Math.max(1, error.retryAfter().toSeconds())));
        }
        try {
            response.end(mapper.writeValueAsString(ErrorResponder.body(error, requestId)));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
