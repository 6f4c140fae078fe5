package io.autoflow.gateway.streaming;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SSE events the gateway sends. deep-chat renders {@code text} and {@code error} data and silently
 * ignores the rest, so progress, sources and the end of the answer are named events without those keys.
 */
public final class SseEvents {

    private final ObjectMapper mapper;

    public SseEvents(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String text(String text) {
        return data(null, Map.of("text", text));
    }

    public String progress(String state, String display) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        body.put("display", display);
        return data("progress", body);
    }

    public String sources(List<Map<String, Object>> sources) {
        return data("sources", Map.of("sources", sources));
    }

    public String done(Map<String, Object> summary) {
        return data("done", summary);
    }

    public String error(String message, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        return data(null, body);
    }

    private String data(String event, Object body) {
        try {
            String json = mapper.writeValueAsString(body);
            return event == null ? "data: " + json + "\n\n" : "event: " + event + "\ndata: " + json + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an SSE event", e);
        }
    }
}
