package io.autoflow.gateway.observability;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.chat.ChatTurn;
import io.autoflow.gateway.session.CloseReason;
import io.autoflow.gateway.session.Session;
import io.autoflow.gateway.session.SessionListener;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.marker.Markers.appendEntries;

/**
 * What happens to sessions and turns, told three ways: Prometheus meters, one structured log line per
 * turn, and the seed's events (SessionCreated, SessionClosed, MessageSent, MessageReceived, Error) as JSON
 * to a bounded in-memory queue that the {@code publish-events} route drains to
 * {@code gateway.events.uri}. Publishing never blocks or fails a chat: a full queue drops the event.
 */
public final class GatewayEvents implements SessionListener {

    /** Immutable settings, from {@code gateway.events.*} and {@code gateway.log.bodies}. */
    public record Settings(boolean enabled, String queueUri, boolean logBodies) {
    }

    private static final Logger TURNS = LoggerFactory.getLogger("io.autoflow.gateway.turns");
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEvents.class);
    private final Settings settings;
    private final CamelContext context;
    private final ObjectMapper mapper;
    private final GatewayMetrics metrics;
    private final Redactor redactor;
    private final Clock clock;
    private volatile Sender sender;

    /** The template and the queue resolved once (sending by URI normalises it per event: seen in a profile). */
    private record Sender(ProducerTemplate template, Endpoint queue) {
    }

    public GatewayEvents(Settings settings, CamelContext context, ObjectMapper mapper, GatewayMetrics metrics,
            Redactor redactor, Clock clock) {
        this.settings = settings;
        this.context = context;
        this.mapper = mapper;
        this.metrics = metrics;
        this.redactor = redactor;
        this.clock = clock;
    }

    @Override
    public void created(Session s) {
        metrics.sessionCreated();
        Map<String, Object> e = event("SessionCreated", s.id());
        e.put("client_id", s.clientId());
        e.put("engine", s.engine());
        publish(e);
    }

    @Override
    public void closed(Session s, CloseReason reason) {
        metrics.sessionClosed(reason.label());
        Map<String, Object> e = event("SessionClosed", s.id());
        e.put("reason", reason.label());
        e.put("message_count", s.messageCount());
        publish(e);
    }

    /** Autoflow accepted the question (its answer has begun). */
    public void messageSent(ChatTurn turn) {
        Map<String, Object> e = event("MessageSent", turn.session().id());
        e.put("request_id", turn.requestId());
        e.put("message_chars", turn.request().message().length());
        publish(e);
    }

    /** The turn is over and recorded, whatever became of it. */
    public void messageReceived(ChatTurn turn, int completionTokens) {
        long durationMs = turn.elapsedNanos() / 1_000_000;
        boolean success = turn.status() == ChatTurn.Status.COMPLETE;
        metrics.tokens(turn.promptTokens(), completionTokens);
        if (turn.firstTokenNanos() >= 0) {
            metrics.firstToken(turn.firstTokenNanos());
        }
        Map<String, Object> e = event("MessageReceived", turn.session().id());
        e.put("request_id", turn.requestId());
        e.put("status", turn.status().name().toLowerCase());
        e.put("prompt_tokens", turn.promptTokens());
        e.put("completion_tokens", completionTokens);
        e.put("duration_ms", durationMs);
        e.put("time_to_first_token_ms", turn.firstTokenNanos() < 0 ? null : turn.firstTokenNanos() / 1_000_000);
        publish(e);

        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "turn_" + turn.status().name().toLowerCase());
        line.put("request_id", turn.requestId());
        line.put("session_id", turn.session().id());
        line.put("duration_ms", durationMs);
        line.put("tokens_used", turn.promptTokens() + completionTokens);
        line.put("success", success);
        if (turn.firstTokenNanos() >= 0) {
            line.put("time_to_first_token_ms", turn.firstTokenNanos() / 1_000_000);
        }
        if (settings.logBodies()) {
            line.put("question", redactor.redact(turn.request().message()));
            line.put("answer", redactor.redact(turn.answer().text()));
        }
        TURNS.info(appendEntries(line), "turn {}", turn.status().name().toLowerCase());
    }

    /** A request ended in an error answer (the client saw {@code code}). */
    public void error(String requestId, String sessionId, String code, int status) {
        metrics.error(code);
        Map<String, Object> e = event("Error", sessionId);
        e.put("request_id", requestId);
        e.put("code", code);
        e.put("status", status);
        publish(e);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "request_failed");
        line.put("request_id", requestId);
        line.put("session_id", sessionId);
        line.put("code", code);
        line.put("success", false);
        if (status >= 500) {
            TURNS.warn(appendEntries(line), "request failed: {}", code);
        } else {
            TURNS.info(appendEntries(line), "request refused: {}", code);
        }
    }

    private Map<String, Object> event(String type, String sessionId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("timestamp", clock.instant().toString());
        e.put("session_id", sessionId);
        return e;
    }

    private void publish(Map<String, Object> event) {
        if (!settings.enabled()) {
            return;
        }
        try {
            Sender s = sender;
            if (s == null) {
                // Made on first use: this object is built before the context starts.
                s = new Sender(context.createProducerTemplate(), context.getEndpoint(settings.queueUri()));
                sender = s;
            }
            s.template().sendBody(s.queue(), mapper.writeValueAsString(event));
        } catch (Exception e) {
            // Events are best effort: a chat never fails because an event could not be queued.
            LOG.debug("event {} dropped: {}", event.get("type"), e.toString());
        }
    }
}
