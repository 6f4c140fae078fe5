package io.autoflow.gateway.chat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.api.HttpExchanges;
import io.autoflow.gateway.autoflow.Annotation;
import io.autoflow.gateway.autoflow.AnswerAssembler;
import io.autoflow.gateway.autoflow.AutoflowEvent;
import io.autoflow.gateway.autoflow.DataStreamReader;
import io.autoflow.gateway.autoflow.StreamError;
import io.autoflow.gateway.autoflow.TextPart;
import io.autoflow.gateway.streaming.ClientGoneException;
import io.autoflow.gateway.streaming.SseChannel;
import io.autoflow.gateway.streaming.SseEvents;
import org.apache.camel.Exchange;

/**
 * What Autoflow's answer becomes, event by event: route step {@code collect-answer} reads a JSON answer's
 * whole body; {@link StreamRelay} ({@code relay-stream}) pushes each event of a streamed one through
 * {@link #accept} as it arrives.
 */
public final class AnswerRelay {

    public static final String EXPOSED_HEADERS =
            "X-Request-Id, X-Session-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
    private final ObjectMapper mapper;
    private final SseEvents events;
    private final AnswerViews views;
    private final String corsOrigin;

    public AnswerRelay(ObjectMapper mapper, SseEvents events, AnswerViews views, String corsOrigin) {
        this.mapper = mapper;
        this.events = events;
        this.views = views;
        this.corsOrigin = corsOrigin;
    }

    /** Reads the whole answer for a JSON response (the call step has read its body). */
    public void collect(Exchange exchange) throws IOException {
        ChatTurn turn = ChatTurn.of(exchange);
        UpstreamDeadlines.Watch watch = turn.watch();
        try (DataStreamReader reader = new DataStreamReader(exchange.getMessage().getBody(byte[].class), mapper)) {
            AutoflowEvent event;
            while ((event = reader.next()) != null) {
                accept(turn, null, event);
            }
            finish(turn);
        } catch (ClientGoneException e) {
            throw new IllegalStateException("no client channel on a JSON answer", e);
        } catch (IOException e) {
            throw readFailure(turn, e);
        } finally {
            watch.close();
        }
    }

    /** The stream's response headers, sent once Autoflow has accepted the question. */
    Map<String, String> streamHeaders(Exchange exchange, ChatTurn turn) {
        Map<String, String> headers = new LinkedHashMap<>(HttpExchanges.extraHeaders(exchange));
        headers.put(HttpExchanges.REQUEST_ID, turn.requestId());
        headers.put(HttpExchanges.SESSION_ID, turn.session().id());
        // Camel's REST CORS headers are not applied to a response the gateway writes itself.
        headers.put("Access-Control-Allow-Origin", corsOrigin);
        headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        return headers;
    }

    /** One event of the answer: into the turn's answer, and to the client when it streams. */
    void accept(ChatTurn turn, SseChannel channel, AutoflowEvent event) throws ClientGoneException {
        turn.watch().eventReceived();
        turn.answer().accept(event);
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

    /** The stream ended: the turn is complete only if Autoflow sent its final message. */
    static void finish(ChatTurn turn) {
        if (turn.answer().outcome() != AnswerAssembler.Outcome.COMPLETE) {
            throw new UpstreamAnswerException("Autoflow's answer was cut off before it finished", null);
        }
        turn.complete();
    }

    static UpstreamAnswerException readFailure(ChatTurn turn, Throwable e) {
        if (e instanceof UpstreamAnswerException answer) {
            return answer;
        }
        if (turn.abortReason() != null) {
            return new UpstreamAnswerException(turn.abortReason().code(), turn.abortReason().getMessage(), e);
        }
        return new UpstreamAnswerException("Autoflow's answer could not be read", e);
    }

    /** The sources in the contract's shape, shared by the SSE events and the JSON answer. */
    public List<Map<String, Object>> sources(AnswerAssembler answer) {
        return views.sources(answer.sources());
    }
}
