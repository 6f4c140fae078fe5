package io.autoflow.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Autoflow's ChatRequest model (FastAPI + pydantic v2): the same checks, in the same order, with
 * 422 items shaped {@code {"type","loc","msg","input","ctx"}} as in validation-errors.jsonl.
 */
final class ChatRequestValidator {

    /** A valid request: messages, optional chat id, stream flag. */
    record Valid(List<Message> messages, UUID chatId, boolean stream) {
    }

    record Message(String role, String content) {
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    // llama-index's MessageRole: "system" parses but is then refused by Autoflow's own validator.
    private static final String ROLES = "'system', 'developer', 'user', 'assistant', 'function', 'tool', 'chatbot' or 'model'";
    private static final Set<String> ROLE_VALUES =
            Set.of("system", "developer", "user", "assistant", "function", "tool", "chatbot", "model");
    private static final Set<String> TRUE = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "off", "f", "false", "n", "no");

    private ChatRequestValidator() {
    }

    /** The 422 item for a body that is not JSON; {@code pos} is the char offset of the error. */
    static ArrayNode jsonInvalid(long pos) {
        ObjectNode ctx = F.objectNode().put("error", "Expecting value");
        return F.arrayNode().add(item("json_invalid", loc("body").add(pos), "JSON decode error", F.objectNode(), ctx));
    }

    /** Checks a parsed body; fills {@code errors} and returns null when invalid. */
    static Valid validate(JsonNode body, ArrayNode errors) {
        if (body == null || body.isMissingNode()) {
            errors.add(item("missing", loc("body"), "Field required", F.nullNode(), null));
            return null;
        }
        if (!body.isObject()) {
            errors.add(item("model_attributes_type", loc("body"),
                    "Input should be a valid dictionary or object to extract fields from", body, null));
            return null;
        }
        List<Message> messages = messages(body, errors);
        JsonNode engine = body.get("chat_engine");
        if (engine != null && !engine.isTextual()) {
            errors.add(item("string_type", loc("body").add("chat_engine"), "Input should be a valid string", engine, null));
        }
        UUID chatId = chatId(body.get("chat_id"), errors);
        Boolean stream = stream(body.get("stream"), errors);
        return errors.isEmpty() ? new Valid(messages, chatId, stream) : null;
    }

    private static List<Message> messages(JsonNode body, ArrayNode errors) {
        JsonNode raw = body.get("messages");
        if (raw == null) {
            errors.add(item("missing", loc("body").add("messages"), "Field required", body, null));
            return null;
        }
        if (!raw.isArray()) {
            errors.add(item("list_type", loc("body").add("messages"), "Input should be a valid list", raw, null));
            return null;
        }
        int before = errors.size();
        List<Message> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            JsonNode m = raw.get(i);
            ArrayNode at = loc("body").add("messages").add(i);
            if (!m.isObject()) {
                errors.add(item("model_type", at, "Input should be a valid dictionary or instance of ChatMessage", m,
                        F.objectNode().put("class_name", "ChatMessage")));
                continue;
            }
            JsonNode role = m.get("role");
            String r = role == null ? "user" : role.isTextual() ? role.textValue() : null;
            if (r == null || !ROLE_VALUES.contains(r)) {
                errors.add(item("enum", at.deepCopy().add("role"), "Input should be " + ROLES, role,
                        F.objectNode().put("expected", ROLES)));
            }
            JsonNode content = m.get("content");
            if (content != null && !content.isNull() && !content.isTextual()) {
                errors.add(item("string_type", at.deepCopy().add("content"), "Input should be a valid string", content, null));
            }
            out.add(new Message(r, content == null || content.isNull() ? "" : content.asText()));
        }
        if (errors.size() > before) {
            return null; // pydantic runs the field validator only on items that parsed
        }
        String problem = problem(out);
        if (problem != null) {
            errors.add(item("value_error", loc("body").add("messages"), "Value error, " + problem, raw,
                    F.objectNode().set("error", F.objectNode())));
            return null;
        }
        return out;
    }

    /** Autoflow's check_messages, messages verbatim (including its "1000" for a 10000 limit). */
    private static String problem(List<Message> messages) {
        if (messages.isEmpty()) {
            return "messages cannot be empty";
        }
        for (Message m : messages) {
            if (!"user".equals(m.role()) && !"assistant".equals(m.role())) {
                return "role must be either 'user' or 'assistant'";
            }
            if (m.content().isEmpty()) {
                return "message content cannot be empty";
            }
            if (m.content().codePointCount(0, m.content().length()) > 10000) {
                return "message content cannot exceed 1000 characters";
            }
        }
        if (!"user".equals(messages.get(messages.size() - 1).role())) {
            return "last message must be from user";
        }
        return null;
    }

    private static UUID chatId(JsonNode raw, ArrayNode errors) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        if (!raw.isTextual()) {
            errors.add(item("uuid_type", loc("body").add("chat_id"),
                    "UUID input should be a string, bytes or UUID object", raw, null));
            return null;
        }
        Object parsed = parseUuid(raw.textValue());
        if (parsed instanceof UUID u) {
            return u;
        }
        errors.add(uuidError(loc("body").add("chat_id"), raw, (String) parsed));
        return null;
    }

    static ObjectNode uuidError(ArrayNode loc, JsonNode input, String reason) {
        return item("uuid_parsing", loc, "Input should be a valid UUID, " + reason, input,
                F.objectNode().put("error", reason));
    }

    private static Boolean stream(JsonNode raw, ArrayNode errors) {
        if (raw == null) {
            return Boolean.TRUE;
        }
        if (raw.isBoolean()) {
            return raw.booleanValue();
        }
        if (raw.isIntegralNumber() && (raw.asLong() == 0 || raw.asLong() == 1)) {
            return raw.asLong() == 1;
        }
        if (raw.isTextual()) {
            String s = raw.textValue().trim().toLowerCase(Locale.ROOT);
            if (TRUE.contains(s) || FALSE.contains(s)) {
                return TRUE.contains(s);
            }
            errors.add(item("bool_parsing", loc("body").add("stream"),
                    "Input should be a valid boolean, unable to interpret input", raw, null));
            return null;
        }
        errors.add(item("bool_type", loc("body").add("stream"), "Input should be a valid boolean", raw, null));
        return null;
    }

    /**
     * The rust uuid crate as pydantic uses it: simple, hyphenated, braced and urn forms.
     *
     * @return the UUID, or the crate's reason text
     */
    static Object parseUuid(String s) {
        String t = s;
        if (t.length() == 45 && t.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            t = t.substring(9);
        } else if (t.length() == 38 && t.charAt(0) == '{' && t.charAt(37) == '}') {
            t = t.substring(1, 37);
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '-' && Character.digit(c, 16) < 0) {
                return "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `"
                        + c + "` at " + (i + 1);
            }
        }
        if (t.indexOf('-') < 0) {
            if (t.length() != 32) {
                return "invalid length: expected length 32 for simple format, found " + t.length();
            }
            t = t.substring(0, 8) + '-' + t.substring(8, 12) + '-' + t.substring(12, 16) + '-'
                    + t.substring(16, 20) + '-' + t.substring(20);
        }
        String[] groups = t.split("-", -1);
        if (groups.length != 5) {
            return "invalid group count: expected 5, found " + groups.length;
        }
        int[] expected = {8, 4, 4, 4, 12};
        for (int g = 0; g < 5; g++) {
            if (groups[g].length() != expected[g]) {
                return "invalid group length in group " + g + ": expected " + expected[g] + ", found " + groups[g].length();
            }
        }
        return UUID.fromString(t);
    }

    static ArrayNode loc(String first) {
        return F.arrayNode().add(first);
    }

    private static ObjectNode item(String type, ArrayNode loc, String msg, JsonNode input, ObjectNode ctx) {
        ObjectNode o = F.objectNode();
        o.put("type", type);
        o.set("loc", loc);
        o.put("msg", msg);
        o.set("input", input == null ? F.nullNode() : input);
        if (ctx != null) {
            o.set("ctx", ctx);
        }
        return o;
    }
}
