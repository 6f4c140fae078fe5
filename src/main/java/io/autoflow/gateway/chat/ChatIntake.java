package io.autoflow.gateway.chat;

import java.time.Clock;
import java.time.Duration;

import io.autoflow.gateway.api.ChatRequest;
import io.autoflow.gateway.api.ChatRequestParser;
import io.autoflow.gateway.api.ClientIdentity;
import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import io.autoflow.gateway.api.HttpExchanges;
import io.autoflow.gateway.streaming.SseChannel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;

/** Route step {@code validate-request}: parses the question and opens the turn that carries it. */
public final class ChatIntake {

    /** Set by the /chat/stream route: that endpoint always streams. */
    public static final String STREAM_ENDPOINT = "streamEndpoint";
    private final ChatRequestParser parser;
    private final Duration stallTimeout;
    private final Clock clock;
    private final Vertx vertx;

    public ChatIntake(ChatRequestParser parser, Duration stallTimeout, Clock clock, Vertx vertx) {
        this.vertx = vertx;
        this.parser = parser;
        this.stallTimeout = stallTimeout;
        this.clock = clock;
    }

    public void validate(Exchange exchange) {
        HttpExchanges.capture(exchange);
        boolean streamEndpoint = exchange.getProperty(STREAM_ENDPOINT, false, Boolean.class);
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase();
        // platform-http consumes form bodies itself (curl -d sends one by default): say what to send instead.
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/")) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST,
                    "Send the body as JSON with 'Content-Type: application/json'");
        }
        ChatRequest request = parser.parse(exchange.getIn().getBody(byte[].class), streamEndpoint);
        HttpServerResponse response = HttpExchanges.response(exchange);
        SseChannel channel = null;
        if (request.stream()) {
            if (response == null) {
                // Only platform-http gives a socket to stream to; any other caller gets one JSON answer.
                request = request.withStream(false);
            } else {
                channel = new SseChannel(response, stallTimeout, vertx);
            }
        }
        exchange.setProperty(ChatTurn.PROPERTY, new ChatTurn(HttpExchanges.requestId(exchange),
                ClientIdentity.clientId(exchange), request, channel, clock.instant()));
        exchange.setProperty(ChatTurn.STREAMING, channel != null);
    }
}
