package io.autoflow.gateway.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.api.HttpExchanges;
import io.autoflow.gateway.observability.RequestMetrics;
import io.autoflow.gateway.streaming.ClientGoneException;
import io.autoflow.gateway.streaming.SseChannel;
import io.autoflow.gateway.streaming.SseEvents;
import org.apache.camel.Exchange;

/** Route step {@code respond}: the end-of-answer event of a stream, or the JSON ChatResponse. */
public final class ChatResponder {

    private final ObjectMapper mapper;
    private final SseEvents events;
    private final AnswerViews views;

    public ChatResponder(ObjectMapper mapper, SseEvents events, AnswerViews views) {
        this.mapper = mapper;
        this.events = events;
        this.views = views;
    }

    public void respond(Exchange exchange) throws JsonProcessingException {
        ChatTurn turn = ChatTurn.of(exchange);
        ConcurrencyGuard.release(exchange);
        SseChannel channel = turn.channel();
        if (channel != null) {
            try {
                if (turn.status() == ChatTurn.Status.COMPLETE) {
                    channel.send(events.done(views.done(turn)));
                }
            } catch (ClientGoneException gone) {
                // the answer is recorded; the client left before its last event
            } finally {
                channel.end();
                exchange.setProperty(RequestMetrics.RESPONSE_BYTES, channel.bytesWritten());
            }
            return;
        }
        HttpExchanges.addHeader(exchange, HttpExchanges.SESSION_ID, turn.session().id());
        HttpExchanges.json(exchange, 200, mapper.writeValueAsString(views.chatResponse(turn)));
    }
}
