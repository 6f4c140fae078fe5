package io.autoflow.gateway.chat;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.HttpExchanges;
import io.autoflow.gateway.autoflow.Annotation;
import io.autoflow.gateway.autoflow.AnswerAssembler;
import io.autoflow.gateway.autoflow.AutoflowEvent;
import io.autoflow.gateway.autoflow.DataStreamReader;
import io.autoflow.gateway.autoflow.StreamError;
import io.autoflow.gateway.autoflow.TextPart;
import io.autoflow.gateway.observability.GatewayMetrics;
import io.autoflow.gateway.streaming.ClientGoneException;
import io.autoflow.gateway.streaming.SseChannel;
import io.autoflow.gateway.streaming.SseEvents;
import org.apache.camel.Exchange;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * Route steps {@code relay-stream} and {@code collect-answer}: read Autoflow's data stream event by event.
 * They run inside the circuit breaker, because the breaker's unit of work closes the upstream body when
 * its block ends.
 */
public final class AnswerRelay {

    private final ObjectMapper mapper;
    private final SseEvents events;
    public static final String EXPOSED_HEADERS =
            "X-Request-Id, X-Session-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
    private final AnswerViews views;
    private final String corsOrigin;
    private final GatewayMetrics metrics;

    public AnswerRelay(ObjectMapper mapper, SseEvents events, AnswerViews views, String corsOrigin,
            GatewayMetrics metrics) {
        this.metrics = metrics;
        this.mapper = mapper;
        this.events = events;
        this.views = views;
        this.corsOrigin = corsOrigin;
    }

    /** Sends each piece of the answer to the client the moment Autoflow sends it. */
    public void relay(Exchange exchange) throws IOException {
        ChatTurn turn = ChatTurn.of(exchange);
        SseChannel channel = turn.channel();
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        // On disconnect, abort the upstream read at once instead of draining the rest of the answer.
        channel.onGone(() -> abort(body));
        try {
            Map<String, String> headers = new LinkedHashMap<>(HttpExchanges.extraHeaders(exchange));
            headers.put(HttpExchanges.REQUEST_ID, turn.requestId());
            headers.put(HttpExchanges.SESSION_ID, turn.session().id());
            // Camel's REST CORS headers are not applied to a response the gateway writes itself.
            headers.put("Access-Control-Allow-Origin", corsOrigin);
            headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            channel.open(headers);
            read(body, turn, channel);
        } catch (ClientGoneException e) {
            abort(body);
            turn.interrupted(e.getMessage());
            metrics.clientDisconnected();
        } catch (IOException e) {
            if (channel.isGone()) {
                turn.interrupted("client closed the connection");
                metrics.clientDisconnected();
            } else {
                throw readFailure(turn, e);
            }
        }
    }

    /** Reads the whole answer for a JSON response. */
    public void collect(Exchange exchange) throws IOException {
        ChatTurn turn = ChatTurn.of(exchange);
        try {
            read(exchange.getMessage().getBody(InputStream.class), turn, null);
        } catch (ClientGoneException e) {
            throw new IllegalStateException("no client channel on a JSON answer", e);
        } catch (IOException e) {
            throw readFailure(turn, e);
        }
    }

    private void read(InputStream body, ChatTurn turn, SseChannel channel) throws IOException {
        AnswerAssembler answer = turn.answer();
        UpstreamDeadlines.Watch watch = turn.watch();
        try (DataStreamReader reader = new DataStreamReader(body, mapper)) {
            AutoflowEvent event;
            while ((event = reader.next()) != null) {
                watch.eventReceived();
                answer.accept(event);
                if (event instanceof TextPart part && !part.text().isEmpty()) {
                    turn.firstToken();
                    if (channel != null) {
                        channel.send(events.text(part.text()));
                    }
                } else if (event instanceof Annotation note && channel != null) {
                    channel.send(events.progress(note.state(), note.display()));
                    if (!note.sources().isEmpty()) {
                        channel.send(events.sources(views.sources(note.sources())));
                    }
                } else if (event instanceof StreamError error) {
                    throw new UpstreamAnswerException("Autoflow failed while answering: " + error.message(), null);
                }
            }
        } finally {
            watch.close();
        }
        if (answer.outcome() != AnswerAssembler.Outcome.COMPLETE) {
            throw new UpstreamAnswerException("Autoflow's answer was cut off before it finished", null);
        }
        turn.complete();
    }

    private static UpstreamAnswerException readFailure(ChatTurn turn, IOException e) {
        if (turn.abortReason() != null) {
            return new UpstreamAnswerException(turn.abortReason().code(), turn.abortReason().getMessage(), e);
        }
        String why = e instanceof SocketTimeoutException
                ? "Autoflow stopped sending its answer (read timed out)"
                : "Autoflow's answer could not be read";
        return new UpstreamAnswerException(why, e);
    }

    private static void abort(InputStream body) {
        try {
            if (body instanceof EofSensorInputStream sensor) {
                sensor.abort();
            } else if (body != null) {
                body.close();
            }
        } catch (IOException ignored) {
            // the connection is being thrown away either way
        }
    }

    /** The sources in the contract's shape, shared by the SSE events and the JSON answer. */
    public List<Map<String, Object>> sources(AnswerAssembler answer) {
        return views.sources(answer.sources());
    }
}
