package io.autoflow.gateway.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoflow.gateway.chat.SessionEnricher;
import io.autoflow.gateway.session.ChatMessage;
import io.autoflow.gateway.session.Session;
import io.autoflow.gateway.session.SessionStore;
import org.apache.camel.Exchange;

/** The session endpoints. Sessions are the caller's own: another client's id answers 404, never content. */
public final class SessionApi {

    private final SessionStore sessions;
    private final ObjectMapper mapper;
    private final String defaultEngine;
    private final Clock clock;

    public SessionApi(SessionStore sessions, ObjectMapper mapper, String defaultEngine, Clock clock) {
        this.sessions = sessions;
        this.mapper = mapper;
        this.defaultEngine = defaultEngine;
        this.clock = clock;
    }

    public void create(Exchange exchange) throws JsonProcessingException {
        JsonNode body = optionalObject(exchange.getIn().getBody(byte[].class));
        String engine = defaultEngine;
        JsonNode engineNode = body.get("engine");
        if (engineNode != null && !engineNode.isNull()) {
            if (!engineNode.isTextual() || engineNode.asText().isBlank() || engineNode.asText().length() > 256) {
                throw invalid("'engine' must be a non-empty engine name of at most 256 characters");
            }
            engine = engineNode.asText();
        }
        Map<String, String> metadata = metadata(body.get("metadata"));
        Session s = sessions.create(ClientIdentity.clientId(exchange), engine, metadata);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("session_id", s.id());
        view.put("created_at", s.createdAt().toString());
        view.put("expires_at", sessions.expiresAt(s).toString());
        view.put("engine", s.engine());
        HttpExchanges.addHeader(exchange, HttpExchanges.SESSION_ID, s.id());
        HttpExchanges.json(exchange, 201, mapper.writeValueAsString(view));
    }

    public void get(Exchange exchange) throws JsonProcessingException {
        String id = sessionId(exchange);
        Session s = sessions.find(id, ClientIdentity.clientId(exchange))
                .orElseThrow(() -> SessionEnricher.notFound(id));
        HttpExchanges.json(exchange, 200, mapper.writeValueAsString(detail(s)));
    }

    public void reset(Exchange exchange) throws JsonProcessingException {
        String id = sessionId(exchange);
        Session s = sessions.update(id, ClientIdentity.clientId(exchange), x -> x.cleared(clock.instant()))
                .orElseThrow(() -> SessionEnricher.notFound(id));
        HttpExchanges.json(exchange, 200, mapper.writeValueAsString(detail(s)));
    }

    public void delete(Exchange exchange) {
        String id = sessionId(exchange);
        if (!sessions.delete(id, ClientIdentity.clientId(exchange))) {
            throw SessionEnricher.notFound(id);
        }
        HttpExchanges.empty(exchange, 204);
    }

    public void list(Exchange exchange) throws JsonProcessingException {
        List<Session> own = sessions.list(ClientIdentity.clientId(exchange));
        List<Map<String, Object>> items = own.stream().map(s -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("session_id", s.id());
            view.put("created_at", s.createdAt().toString());
            view.put("last_activity", s.lastActivity().toString());
            view.put("message_count", s.messageCount());
            view.put("engine", s.engine());
            return view;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessions", items);
        body.put("total", items.size());
        HttpExchanges.json(exchange, 200, mapper.writeValueAsString(body));
    }

    private Map<String, Object> detail(Session s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("session_id", s.id());
        view.put("created_at", s.createdAt().toString());
        view.put("last_activity", s.lastActivity().toString());
        view.put("expires_at", sessions.expiresAt(s).toString());
        view.put("engine", s.engine());
        view.put("message_count", s.messageCount());
        List<Map<String, Object>> messages = s.messages().stream().map(SessionApi::message).toList();
        view.put("messages", messages);
        view.put("metadata", s.metadata());
        return view;
    }

    private static Map<String, Object> message(ChatMessage m) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("role", m.role());
        view.put("content", m.content());
        view.put("created_at", m.createdAt().toString());
        view.put("status", m.status());
        return view;
    }

    private static String sessionId(Exchange exchange) {
        String id = exchange.getIn().getHeader("id", String.class);
        if (id == null || id.isBlank()) {
            throw invalid("a session id is required in the path");
        }
        return id;
    }

    private JsonNode optionalObject(byte[] body) {
        if (body == null || body.length == 0) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                return mapper.createObjectNode();
            }
            if (!node.isObject()) {
                throw invalid("The request body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw invalid("The request body is not valid JSON");
        }
    }

    private static Map<String, String> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid("'metadata' must be an object of strings");
        }
        if (node.size() > 32) {
            throw invalid("'metadata' holds at most 32 entries");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual() || e.getKey().length() > 128 || e.getValue().asText().length() > 1024) {
                throw invalid("'metadata' values must be strings (keys up to 128, values up to 1024 characters)");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }
}
