package io.autoflow.gateway.chat;

import java.time.Clock;
import java.time.Instant;

import io.autoflow.gateway.session.ChatMessage;
import io.autoflow.gateway.session.HistoryBudget;
import io.autoflow.gateway.observability.GatewayEvents;
import io.autoflow.gateway.session.SessionStore;
import org.apache.camel.Exchange;

/**
 * Route step {@code record-turn}, and the error path's record of a failed turn: every accepted question
 * ends up in its session with what happened to its answer.
 */
public final class TurnRecorder {

    private final SessionStore sessions;
    private final HistoryBudget budget;
    private final Clock clock;
    private final GatewayEvents events;
    private final TokenCounter tokens;

    public TurnRecorder(SessionStore sessions, HistoryBudget budget, Clock clock, GatewayEvents events,
            TokenCounter tokens) {
        this.sessions = sessions;
        this.budget = budget;
        this.clock = clock;
        this.events = events;
        this.tokens = tokens;
    }

    public void record(Exchange exchange) {
        ChatTurn turn = ChatTurn.of(exchange);
        if (turn != null) {
            write(turn);
        }
    }

    /** Called by the shared error handling: a turn that failed is recorded as failed, once. */
    public void recordFailure(Exchange exchange) {
        ChatTurn turn = ChatTurn.of(exchange);
        if (turn == null || turn.session() == null) {
            return;
        }
        if (turn.status() == ChatTurn.Status.PENDING || turn.status() == ChatTurn.Status.COMPLETE) {
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            turn.failed(cause instanceof io.autoflow.gateway.api.GatewayException g ? g.getMessage() : "failed");
        }
        write(turn);
    }

    private void write(ChatTurn turn) {
        turn.watch(null);
        if (turn.session() == null || !turn.markRecorded()) {
            return;
        }
        Instant now = clock.instant();
        String chatId = turn.answer().chatId();
        ChatMessage question = new ChatMessage("user", turn.request().message(), turn.startedAt(), "complete");
        ChatMessage answer = new ChatMessage("assistant", turn.answer().text(), now, status(turn));
        sessions.update(turn.session().id(), turn.clientId(), s -> {
            // Every answer names its chat; the session keeps the id it has, so 100,000 sessions do not each
            // promote a fresh copy of the same id into the old generation on every turn.
            var next = chatId != null && !chatId.equals(s.upstreamChatId()) ? s.withUpstreamChatId(chatId, now) : s;
            return next.withTurn(question, answer, now, budget);
        }).ifPresent(turn::session);
        turn.completionTokens(tokens.count(turn.answer().text()));
        events.messageReceived(turn, turn.completionTokens());
    }

    private static String status(ChatTurn turn) {
        return switch (turn.status()) {
            case COMPLETE -> "complete";
            case INTERRUPTED -> "interrupted";
            case FAILED, PENDING -> "failed";
        };
    }
}
