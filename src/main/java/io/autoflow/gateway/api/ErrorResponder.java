package io.autoflow.gateway.api;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.chat.ChatTurn;
import io.autoflow.gateway.chat.ConcurrencyGuard;
import io.autoflow.gateway.chat.UpstreamBreaker;
import io.autoflow.gateway.observability.GatewayEvents;
import io.autoflow.gateway.observability.RequestMetrics;
import io.autoflow.gateway.session.SessionLimitReachedException;
import io.autoflow.gateway.streaming.ClientGoneException;
import io.autoflow.gateway.streaming.SseChannel;
import io.autoflow.gateway.streaming.SseEvents;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.apache.camel.processor.ThrottlerRejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared error handling's last step: any failure becomes the contract's error body and status, or,
 * once a stream has begun, a {@code data: {"error": ...}} event that ends it.
 */
public final class ErrorResponder {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
    private final ObjectMapper mapper;
    private final SseEvents sse;
    private final UpstreamBreaker breaker;
    private final GatewayEvents events;

    public ErrorResponder(ObjectMapper mapper, SseEvents sse, UpstreamBreaker breaker, GatewayEvents events) {
        this.mapper = mapper;
        this.sse = sse;
        this.breaker = breaker;
        this.events = events;
    }

    public void respond(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ChatTurn turn = ChatTurn.of(exchange);
        ConcurrencyGuard.release(exchange);
        GatewayException error = turn != null && turn.abortReason() != null && !(cause instanceof GatewayException)
                ? turn.abortReason()
                : classify(cause);
        String requestId = HttpExchanges.requestId(exchange);
        if (error.code() == ErrorCode.INTERNAL_ERROR) {
            LOG.error("request {} failed unexpectedly", requestId, cause);
        }
        SseChannel channel = turn == null ? null : turn.channel();
        events.error(requestId, turn == null || turn.session() == null ? null : turn.session().id(),
                error.code().code(), error.code().status());
        if (channel != null && channel.isOpen()) {
            sendErrorEvent(channel, error);
            exchange.setProperty(RequestMetrics.RESPONSE_BYTES, channel.bytesWritten());
            return;
        }
        Duration retryAfter = error.retryAfter();
        if (retryAfter == null && error.code().status() == 503 || retryAfter == null && error.code().status() == 429) {
            retryAfter = Duration.ofSeconds(1);
        }
        if (retryAfter != null) {
            HttpExchanges.addHeader(exchange, "Retry-After", Long.toString(ceilSeconds(retryAfter)));
        }
        if (error.code() == ErrorCode.UNAUTHORIZED) {
            HttpExchanges.addHeader(exchange, "WWW-Authenticate", "Bearer");
        }
        HttpExchanges.json(exchange, error.code().status(), mapper.writeValueAsString(body(error, requestId)));
    }

    private void sendErrorEvent(SseChannel channel, GatewayException error) {
        try {
            channel.send(sse.error(error.getMessage(), error.code().code()));
        } catch (ClientGoneException gone) {
            // nobody left to tell; the session has the failure recorded
        } finally {
            channel.end();
        }
    }

    static Map<String, Object> body(GatewayException error, String requestId) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", error.code().code());
        detail.put("message", error.getMessage());
        detail.put("request_id", requestId);
        return Map.of("error", detail);
    }

    /** The client-facing error for any failure; unexpected ones say nothing of the gateway's insides. */
    GatewayException classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof GatewayException g) {
                return g;
            }
            if (t instanceof CallNotPermittedException) {
                return new GatewayException(ErrorCode.UPSTREAM_UNAVAILABLE,
                        "Autoflow is failing; the gateway stopped calling it for a while. Try again later.",
                        breaker.retryAfter(), t);
            }
            if (t instanceof SessionLimitReachedException) {
                return new GatewayException(ErrorCode.SESSION_LIMIT_REACHED, t.getMessage(), Duration.ofSeconds(60), t);
            }
            if (t instanceof ThrottlerRejectedExecutionException) {
                return new GatewayException(ErrorCode.RATE_LIMITED,
                        "The gateway is at its global request rate; try again shortly", Duration.ofSeconds(1), t);
            }
            if (t instanceof SocketTimeoutException || t instanceof HttpConnectTimeoutException) {
                return new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, "Autoflow did not answer in time", null, t);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new GatewayException(ErrorCode.UPSTREAM_ERROR, "Autoflow cannot be reached", null, t);
            }
            if (t instanceof SocketException || t instanceof javax.net.ssl.SSLException) {
                return new GatewayException(ErrorCode.UPSTREAM_ERROR, "The connection to Autoflow failed", null, t);
            }
        }
        return new GatewayException(ErrorCode.INTERNAL_ERROR, "The gateway failed to handle the request", null, cause);
    }

    private static long ceilSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
