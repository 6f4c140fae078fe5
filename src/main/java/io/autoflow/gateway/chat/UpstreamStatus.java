package io.autoflow.gateway.chat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import io.autoflow.gateway.observability.GatewayEvents;
import org.apache.camel.Exchange;

/**
 * Route step {@code check-upstream-status}: maps Autoflow's HTTP answer to the gateway's errors, never
 * passing the upstream's status or body through raw.
 */
public final class UpstreamStatus {

    private static final int MAX_ERROR_BODY = 16 * 1024;
    private final ObjectMapper mapper;
    private final GatewayEvents events;

    public UpstreamStatus(ObjectMapper mapper, GatewayEvents events) {
        this.mapper = mapper;
        this.events = events;
    }

    public void check(Exchange exchange) throws IOException {
        ChatTurn turn = ChatTurn.of(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 200) {
            if (turn != null) {
                events.messageSent(turn);
            }
            return;
        }
        String detail = detail(exchange.getMessage().getBody(InputStream.class));
        if (status == 404 && turn != null && turn.session() != null && turn.session().upstreamChatId() != null) {
            throw new UpstreamChatLostException();
        }
        throw switch (status) {
            case 400, 422 -> new GatewayException(ErrorCode.INVALID_REQUEST,
                    "Autoflow rejected the question: " + (detail != null ? detail : "invalid request"));
            case 401, 403 -> new GatewayException(ErrorCode.UPSTREAM_ERROR,
                    "Autoflow refused the gateway's credentials (HTTP " + status + ")");
            case 429, 503 -> new UpstreamRetryableException(status, ErrorCode.UPSTREAM_UNAVAILABLE,
                    "Autoflow is busy (HTTP " + status + "); try again shortly", retryAfter(exchange));
            case 504 -> new UpstreamRetryableException(status, ErrorCode.UPSTREAM_TIMEOUT,
                    "Autoflow timed out (HTTP 504)", null);
            case 500, 502 -> new UpstreamRetryableException(status, ErrorCode.UPSTREAM_ERROR,
                    "Autoflow failed to answer (HTTP " + status + ")", null);
            default -> new GatewayException(ErrorCode.UPSTREAM_ERROR,
                    "Autoflow failed to answer (HTTP " + status + ")");
        };
    }

    /** Seconds only: Autoflow (FastAPI) sends no HTTP dates; anything else counts as unknown. */
    private static Duration retryAfter(Exchange exchange) {
        String value = exchange.getMessage().getHeader("Retry-After", String.class);
        try {
            return value == null ? null : Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Autoflow's {@code detail}: a string, or the first validation error's {@code msg}. */
    private String detail(InputStream body) {
        if (body == null) {
            return null;
        }
        try (body) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            JsonNode detail = mapper.readTree(new String(bytes, StandardCharsets.UTF_8)).path("detail");
            if (detail.isTextual()) {
                return detail.asText();
            }
            return detail.path(0).path("msg").isTextual() ? detail.path(0).path("msg").asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
