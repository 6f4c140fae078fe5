package io.autoflow.gateway.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.autoflow.gateway.autoflow.Source;

/** The answer as clients see it: the contract's ChatResponse, the stream's end event, its usage. */
public final class AnswerViews {


    public List<Map<String, Object>> sources(List<Source> sources) {
        List<Map<String, Object>> out = new ArrayList<>(sources.size());
        for (Source s : sources) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", s.name());
            view.put("source_uri", s.sourceUri());
            out.add(view);
        }
        return out;
    }

    public Map<String, Object> usage(ChatTurn turn) {
        int completion = turn.completionTokens();
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", turn.promptTokens());
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", turn.promptTokens() + completion);
        return usage;
    }

    public Map<String, Object> chatResponse(ChatTurn turn) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", turn.messageId());
        body.put("session_id", turn.session().id());
        body.put("text", turn.answer().text());
        body.put("finished", true);
        body.put("sources", sources(turn.answer().sources()));
        body.put("usage", usage(turn));
        body.put("created_at", turn.startedAt().toString());
        return body;
    }

    /** The stream's last event: what a non-deep-chat client needs to continue the conversation. */
    public Map<String, Object> done(ChatTurn turn) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", turn.session().id());
        body.put("message_id", turn.messageId());
        body.put("finished", true);
        body.put("sources", sources(turn.answer().sources()));
        body.put("usage", usage(turn));
        return body;
    }
}
