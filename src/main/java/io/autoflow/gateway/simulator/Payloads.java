package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoflow.gateway.autoflow.Source;
import io.autoflow.gateway.simulator.ChatStore.MessageRecord;
import io.autoflow.gateway.simulator.ChatStore.SimChat;

import java.io.UncheckedIOException;
import java.util.List;

/** The JSON shapes Autoflow sends, with keys in the order of the upstream samples, and their encoders. */
final class Payloads {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final String ENGINE_OPTIONS = "{\"external_engine_config\":null,\"llm\":{},"
            + "\"knowledge_base\":{\"linked_knowledge_base\":null,\"linked_knowledge_bases\":[{\"id\":1}]},"
            + "\"knowledge_graph\":{\"depth\":2,\"include_meta\":false,\"with_degree\":false,\"metadata_filter\":null,"
            + "\"enabled\":true,\"using_intent_search\":true},"
            + "\"vector_search\":{\"top_k\":10,\"similarity_top_k\":null,\"oversampling_factor\":5,"
            + "\"reranker\":{\"enabled\":true,\"model_id\":null,\"top_n\":10},\"metadata_filter\":null},"
            + "\"refine_question_with_kg\":true,\"clarify_question\":false,\"further_questions\":false,"
            + "\"post_verification_url\":null,\"hide_sources\":false}";

    private final JsonNode engineOptions;
    private final ObjectWriter streamWriter;
    private final ObjectWriter jsonWriter;

    Payloads(ObjectMapper mapper) {
        try {
            this.engineOptions = mapper.readTree(ENGINE_OPTIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ObjectWriter compact = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
        this.streamWriter = compact.with(new PythonAsciiEscapes());
        this.jsonWriter = compact;
    }

    /** One stream line {@code <code>:<json>\n}, non-ASCII escaped as the built-in engine does. */
    String line(char code, Object value) {
        try {
            return code + ":" + streamWriter.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plain JSON response body (FastAPI's JSONResponse writes raw UTF-8). */
    String json(Object value) {
        try {
            return jsonWriter.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode chat(SimChat c) {
        ObjectNode n = F.objectNode();
        n.put("created_at", c.createdAt());
        n.put("updated_at", c.createdAt());
        n.put("id", c.id().toString());
        n.put("title", c.title());
        n.put("engine_id", 1);
        n.set("engine_options", engineOptions.deepCopy());
        n.put("deleted_at", c.deletedAt());
        n.putNull("user_id");
        n.put("browser_id", c.browserId());
        n.putNull("origin");
        n.put("visibility", 1);
        return n;
    }

    ObjectNode message(MessageRecord m) {
        ObjectNode n = F.objectNode();
        n.put("created_at", m.createdAt());
        n.put("updated_at", m.updatedAt());
        n.put("id", m.id());
        n.put("ordinal", m.ordinal());
        n.put("role", m.role());
        n.put("content", m.content());
        n.put("error", m.error());
        n.set("sources", sources(m.sources()));
        n.set("graph_data", graphData(m.graphQuery()));
        n.putObject("meta");
        n.put("trace_url", m.traceUrl());
        n.put("is_best_answer", false);
        n.put("finished_at", m.finishedAt());
        n.put("chat_id", m.chatId());
        n.putNull("user_id");
        n.putNull("post_verification_result_url");
        return n;
    }

    /** The {@code 2:} payload: an array with one {chat, user_message, assistant_message} object. */
    ArrayNode dataPart(SimChat chat, MessageRecord user, MessageRecord assistant) {
        ObjectNode o = F.objectNode();
        o.set("chat", chat(chat));
        o.set("user_message", message(user));
        o.set("assistant_message", message(assistant));
        return F.arrayNode().add(o);
    }

    /** The {@code 8:} payload. */
    ArrayNode annotation(String state, String display, JsonNode context, String message) {
        ObjectNode o = F.objectNode();
        o.put("state", state);
        o.put("display", display);
        o.set("context", context == null ? F.nullNode() : context);
        o.put("message", message);
        return F.arrayNode().add(o);
    }

    ArrayNode sources(List<Source> sources) {
        ArrayNode a = F.arrayNode();
        for (Source s : sources) {
            ObjectNode o = a.addObject();
            o.put("id", s.id());
            o.put("name", s.name());
            o.put("source_uri", s.sourceUri());
        }
        return a;
    }

    private static ObjectNode graphData(String query) {
        ObjectNode g = F.objectNode();
        if (query == null) {
            return g;
        }
        g.put("query", query);
        g.putNull("knowledge_base_id");
        g.putArray("entities").add(30001).add(30002);
        g.putArray("relationships").add(60011).add(60012);
        g.put("version", 1);
        g.putArray("knowledge_base_ids").add(1);
        ObjectNode sub = g.putArray("subgraphs").addObject();
        sub.put("query", query);
        sub.put("knowledge_base_id", 1);
        sub.putArray("entities").add(30001).add(30002);
        sub.putArray("relationships").add(60011).add(60012);
        return g;
    }

    ObjectNode engine(String createdAt) {
        ObjectNode e = F.objectNode();
        e.put("id", 1);
        e.put("name", "default");
        e.set("engine_options", engineOptions.deepCopy());
        e.putNull("llm_id");
        e.putNull("fast_llm_id");
        e.putNull("reranker_id");
        e.put("is_default", true);
        e.put("is_public", true);
        e.put("description", "Built-in default engine of the Autoflow simulator");
        e.put("created_at", createdAt);
        e.put("updated_at", createdAt);
        e.putNull("deleted_at");
        return e;
    }

    static ObjectNode detail(String detail) {
        return F.objectNode().put("detail", detail);
    }

    /**
     * Python's json.dumps(ensure_ascii=True): every char outside 0x20..0x7E except the short escapes
     * becomes lowercase {@code \\uxxxx} (astral chars as surrogate pairs). Jackson's ESCAPE_NON_ASCII
     * would write uppercase hex, which is valid JSON but not byte-identical to the upstream.
     */
    static final class PythonAsciiEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        PythonAsciiEscapes() {
            ascii = standardAsciiEscapesForJSON();
            for (int c = 0; c < 0x20; c++) {
                if ("\b\t\n\f\r".indexOf(c) < 0) {
                    ascii[c] = ESCAPE_CUSTOM;
                }
            }
            ascii[0x7F] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            char[] hex = {'\\', 'u', digit(ch >> 12), digit(ch >> 8), digit(ch >> 4), digit(ch)};
            return new SerializedString(new String(hex));
        }

        private static char digit(int v) {
            return "0123456789abcdef".charAt(v & 0xF);
        }
    }
}
