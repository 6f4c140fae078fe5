package io.autoflow.gateway.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoflow.gateway.observability.TraceContext;
import io.autoflow.gateway.session.ChatMessage;
import io.autoflow.gateway.session.Session;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Route step {@code prepare-autoflow-request}: the body and headers of {@code POST {base}/chats}.
 * A session with an upstream chat sends its chat_id and only the new question (Autoflow rebuilds the
 * history itself); one without sends its own history first, which Autoflow stores as the new chat's.
 */
public final class AutoflowRequests {

    private static final Set<String> RETRY_HEADERS = Set.of(Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERED,
            Exchange.REDELIVERY_MAX_COUNTER, Exchange.REDELIVERY_DELAY);
    private static final int UPSTREAM_MAX_CHARS = 10_000;
    private final ObjectMapper mapper;
    private final SessionEnricher sessions;
    private final TokenCounter tokens;
    private final String apiKey;
    private final UpstreamDeadlines deadlines;
    private final UpstreamCalls calls;
    private final TraceContext trace;

    public AutoflowRequests(ObjectMapper mapper, SessionEnricher sessions, TokenCounter tokens, String apiKey,
            UpstreamDeadlines deadlines, UpstreamCalls calls, TraceContext trace) {
        this.mapper = mapper;
        this.sessions = sessions;
        this.tokens = tokens;
        this.apiKey = apiKey;
        this.deadlines = deadlines;
        this.calls = calls;
        this.trace = trace;
    }

    public void prepare(Exchange exchange) throws JsonProcessingException {
        ChatTurn turn = ChatTurn.of(exchange);
        Session session = sessions.current(turn);
        turn.session(session);
        List<ChatMessage> history = session.upstreamChatId() == null ? replayable(session.messages()) : List.of();

        ObjectNode body = mapper.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        int promptTokens = 0;
        for (ChatMessage m : history) {
            messages.addObject().put("role", m.role()).put("content", clip(m.content()));
            promptTokens += tokens.count(m.content());
        }
        messages.addObject().put("role", "user").put("content", turn.request().message());
        promptTokens += tokens.count(turn.request().message());
        body.put("chat_engine", session.engine());
        if (session.upstreamChatId() != null) {
            body.put("chat_id", session.upstreamChatId());
        }
        // Autoflow's default is to stream; the gateway always streams upstream and aggregates JSON answers itself.
        body.put("stream", true);
        turn.promptTokens(promptTokens);

        Message message = exchange.getMessage();
        // Client headers must not reach the upstream, and CamelHttpPath would rewrite the target URL.
        // The redelivery headers stay: this step runs again on each retry and they count the attempts.
        // (removeHeaders("*", kept...) would compile a regex per request: a profile showed it.)
        message.getHeaders().keySet().removeIf(name -> !RETRY_HEADERS.contains(name));
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Accept", "text/event-stream");
        if (apiKey != null) {
            message.setHeader("Authorization", "Bearer " + apiKey);
        }
        // The request id names the call upstream (for Autoflow's logs) and to UpstreamCalls (to abort it).
        message.setHeader(UpstreamCalls.CALL_ID, turn.requestId());
        // The client's W3C traceparent/tracestate, when valid: the only client headers that go upstream.
        trace.propagate(exchange, message);
        message.setBody(mapper.writeValueAsBytes(body));
        if (turn.watch() != null) {
            // A retry: the failed attempt's deadlines must not fire on this one.
            turn.watch().close();
        }
        turn.watch(deadlines.watch(turn));
        calls.track(turn);
        if (turn.channel() != null) {
            turn.channel().onGone(() -> calls.abort(turn.requestId()));
        }
    }

    /** History Autoflow accepts: non-empty user and assistant texts within its length limit. */
    private static List<ChatMessage> replayable(List<ChatMessage> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            if (m.content() != null && !m.content().isBlank()
                    && ("user".equals(m.role()) || "assistant".equals(m.role()))) {
                out.add(m);
            }
        }
        return out;
    }

    private static String clip(String text) {
        if (text.codePointCount(0, text.length()) <= UPSTREAM_MAX_CHARS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, UPSTREAM_MAX_CHARS));
    }
}
