package io.autoflow.gateway.chat;

import java.time.Clock;

import io.autoflow.gateway.session.SessionStore;
import org.apache.camel.Exchange;

/**
 * Route step {@code recover-session}: Autoflow lost the session's chat, so the session forgets it and the
 * question is asked again in a new chat that carries the session's own history.
 */
public final class SessionRecovery {

    private final SessionStore sessions;
    private final Clock clock;

    public SessionRecovery(SessionStore sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    public void startNewChat(Exchange exchange) {
        ChatTurn turn = ChatTurn.of(exchange);
        turn.restartAnswer();
        sessions.update(turn.session().id(), turn.clientId(), s -> s.withUpstreamChatId(null, clock.instant()))
                .ifPresent(turn::session);
    }
}
