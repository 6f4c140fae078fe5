package io.autoflow.gateway.chat;

import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;
import io.autoflow.gateway.session.Session;
import io.autoflow.gateway.session.SessionStore;
import org.apache.camel.Exchange;

import java.util.Map;

/** Route step {@code enrich-session}: the turn's session, found by id or made for a first question. */
public final class SessionEnricher {

    private final SessionStore sessions;
    private final String defaultEngine;

    public SessionEnricher(SessionStore sessions, String defaultEngine) {
        this.sessions = sessions;
        this.defaultEngine = defaultEngine;
    }

    public void enrich(Exchange exchange) {
        ChatTurn turn = ChatTurn.of(exchange);
        String id = turn.request().sessionId();
        if (id == null) {
            String engine = turn.request().engine() != null ? turn.request().engine() : defaultEngine;
            turn.session(sessions.create(turn.clientId(), engine, Map.of()), true);
        } else {
            turn.session(sessions.find(id, turn.clientId()).orElseThrow(() -> notFound(id)), false);
        }
    }

    public static GatewayException notFound(String ignoredId) {
        return new GatewayException(ErrorCode.SESSION_NOT_FOUND, "Session not found: it does not exist, has expired, or belongs to another client");
    }

    /** The session as stored now, for steps that must not act on a stale copy. */
    public Session current(ChatTurn turn) {
        return sessions.find(turn.session().id(), turn.clientId())
                .orElseThrow(() -> notFound(turn.session().id()));
    }
}
