package io.autoflow.gateway.autoflow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Parses one line of Autoflow's data stream ({@code <code>:<compact JSON>}, without the LF).
 * Stateless and thread-safe. Objects are read by field name, so key order, unknown keys and
 * missing optional fields do not matter.
 */
public final class DataStreamParser {

    private static final Map<String, Set<String>> DATA_PART_FIELDS = Map.of(
            "chat", Set.of("id"),
            "user_message", Set.of("id", "chat_id"),
            "assistant_message", Set.of("id", "chat_id", "content", "finished_at", "sources"));

    private final ObjectMapper mapper;

    public DataStreamParser(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * @return the event, or null for a blank line or a code the gateway does not use ({@code 9:}, {@code a:}, ...)
     * @throws MalformedStreamException if the line is not {@code <code>:<json>} or the JSON does not parse
     */
    public AutoflowEvent parseLine(String line) throws MalformedStreamException {
        if (line == null || line.isBlank()) {
            return null;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new MalformedStreamException("line is not <code>:<json>");
        }
        for (int i = 0; i < colon; i++) {
            if (!isCodeChar(line.charAt(i))) {
                throw new MalformedStreamException("line is not <code>:<json>");
            }
        }
        if (colon != 1) {
            return null; // multi-character codes are never ours: pass-through from external engines
        }
        switch (line.charAt(0)) {
            case '0':
                return new TextPart(readString(line, "text part"));
            case '2':
                return chatState(readDataPart(() -> mapper.createParser(line.substring(2))));
            case '3':
                return streamError(line);
            case '8':
                return annotation(readTree(() -> mapper.createParser(line.substring(2)), "annotation"));
            default:
                return null; // unknown codes are ignored without looking at their JSON
        }
    }

    /**
     * The same, for a line still in the bytes it arrived in: JSON is parsed from the bytes, and a text part
     * without escapes is decoded once, so no String of the whole line is made. A line that fails here (JSON
     * with malformed UTF-8, say) is parsed again as decoded text, so both forms accept and reject the same.
     */
    public AutoflowEvent parseLine(byte[] bytes, int from, int length) throws MalformedStreamException {
        int colon = -1;
        for (int i = from; i < from + length; i++) {
            if (bytes[i] == ':') {
                colon = i - from;
                break;
            }
            if (!isCodeChar((char) bytes[i])) {
                break;
            }
        }
        if (colon != 1) {
            return parseLine(new String(bytes, from, length, StandardCharsets.UTF_8)); // the rare and the wrong
        }
        try {
            switch (bytes[from]) {
                case '0':
                    String text = fastString(bytes, from, length);
                    return text != null ? new TextPart(text) : parseLine(new String(bytes, from, length, StandardCharsets.UTF_8));
                case '2':
                    return chatState(readDataPart(() -> mapper.createParser(bytes, from + 2, length - 2)));
                case '8':
                    return annotation(readTree(() -> mapper.createParser(bytes, from + 2, length - 2), "annotation"));
                default:
                    return parseLine(new String(bytes, from, length, StandardCharsets.UTF_8));
            }
        } catch (MalformedStreamException e) {
            return parseLine(new String(bytes, from, length, StandardCharsets.UTF_8));
        }
    }

    /** {@link #fastString(String)} on UTF-8 bytes: multi-byte characters never contain a quote, backslash or control byte. */
    private static String fastString(byte[] b, int from, int length) {
        int end = from + length - 1;
        if (length < 4 || b[from + 2] != '"' || b[end] != '"') {
            return null;
        }
        for (int i = from + 3; i < end; i++) {
            byte c = b[i];
            if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
                return null;
            }
        }
        return new String(b, from + 3, end - from - 3, StandardCharsets.UTF_8);
    }

    private static boolean isCodeChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private StreamError streamError(String line) throws MalformedStreamException {
        String fast = fastString(line);
        if (fast != null) {
            return new StreamError(fast);
        }
        JsonNode n = readTree(() -> mapper.createParser(line.substring(2)), "error part");
        return new StreamError(n.isTextual() ? n.textValue() : n.isNull() ? null : n.toString());
    }

    /** Most text parts are plain strings without escapes: cut them out without a JSON parser. */
    private static String fastString(String line) {
        int end = line.length() - 1;
        if (end < 3 || line.charAt(2) != '"' || line.charAt(end) != '"') {
            return null;
        }
        for (int i = 3; i < end; i++) {
            char c = line.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return null;
            }
        }
        return line.substring(3, end);
    }

    private String readString(String line, String what) throws MalformedStreamException {
        String fast = fastString(line);
        if (fast != null) {
            return fast;
        }
        return parse(() -> mapper.createParser(line.substring(2)), what, p -> {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new MalformedStreamException(what + " is not a JSON string");
            }
            return p.getText();
        });
    }

    private JsonNode readTree(JsonSource json, String what) throws MalformedStreamException {
        return parse(json, what, p -> {
            JsonNode n = p.nextToken() == null ? null : p.readValueAsTree();
            if (n == null) {
                throw new MalformedStreamException(what + " has no JSON value");
            }
            return n;
        });
    }

    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** Opens a parser on the JSON after {@code <code>:}, in whichever form the line is. */
    private interface JsonSource {
        JsonParser open() throws IOException;
    }

    /** Parses the JSON after {@code <code>:} with {@code reader}, which must consume the whole value. */
    private <T> T parse(JsonSource json, String what, Reader<T> reader) throws MalformedStreamException {
        try (JsonParser p = json.open()) {
            T value = reader.read(p);
            requireEnd(p, what);
            return value;
        } catch (JsonProcessingException e) {
            throw invalidJson(what, e);
        } catch (MalformedStreamException e) {
            throw e;
        } catch (IOException e) {
            throw new MalformedStreamException("unreadable " + what);
        }
    }

    private static void requireEnd(JsonParser p, String what) throws IOException {
        if (p.nextToken() != null) {
            throw new MalformedStreamException(what + " has data after its JSON value");
        }
    }

    // Jackson's own message quotes the offending input, so only the position is kept.
    private static MalformedStreamException invalidJson(String what, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String at = loc == null || loc.getColumnNr() < 0 ? "" : " near column " + (loc.getColumnNr() + 2);
        return new MalformedStreamException("invalid JSON in " + what + at);
    }

    /**
     * Reads a {@code 2:} part's first object, keeping only the fields the gateway uses. These parts carry
     * the whole chat (engine options and all) twice per answer: building their full trees was two fifths of
     * the gateway's allocation per chat (JFR), so the rest is skipped by the streaming parser, still checked.
     */
    private JsonNode readDataPart(JsonSource json) throws MalformedStreamException {
        String what = "data part";
        return parse(json, what, p -> {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                return usedFields(p);
            }
            if (t != JsonToken.START_ARRAY) {
                throw new MalformedStreamException(what + (t == null ? " has no JSON value" : " is not a JSON array"));
            }
            ObjectNode first = null;
            boolean atFirst = true;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (atFirst && t == JsonToken.START_OBJECT) {
                    first = usedFields(p);
                } else {
                    p.skipChildren();
                }
                atFirst = false;
            }
            return first;
        });
    }

    /** The object the parser is at, with only {@link #DATA_PART_FIELDS}; the parser ends at its END_OBJECT. */
    private ObjectNode usedFields(JsonParser p) throws IOException {
        ObjectNode obj = mapper.getNodeFactory().objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            Set<String> keep = DATA_PART_FIELDS.get(name);
            if (p.nextToken() != JsonToken.START_OBJECT || keep == null) {
                p.skipChildren();
                continue;
            }
            ObjectNode inner = obj.putObject(name);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (keep.contains(field)) {
                    inner.set(field, p.readValueAsTree());
                } else {
                    p.skipChildren();
                }
            }
        }
        return obj;
    }

    private static AutoflowEvent chatState(JsonNode obj) {
        if (obj == null) {
            return null;
        }
        JsonNode chat = obj.get("chat");
        JsonNode user = obj.get("user_message");
        JsonNode assistant = obj.get("assistant_message");
        String chatId = text(field(chat, "id"));
        if (chatId == null) {
            chatId = text(field(assistant, "chat_id"));
        }
        if (chatId == null) {
            chatId = text(field(user, "chat_id"));
        }
        JsonNode finishedAt = field(assistant, "finished_at");
        return new ChatState(chatId, number(field(user, "id")), number(field(assistant, "id")),
                text(field(assistant, "content")), finishedAt != null && !finishedAt.isNull(),
                sources(field(assistant, "sources")));
    }

    private static AutoflowEvent annotation(JsonNode root) throws MalformedStreamException {
        JsonNode obj = firstObject(root, "annotation");
        if (obj == null) {
            return null;
        }
        String state = text(obj.get("state"));
        List<Source> sources = "SOURCE_NODES".equals(state) ? sources(obj.get("context")) : List.of();
        return new Annotation(state, text(obj.get("display")), text(obj.get("message")), sources);
    }

    /** Vercel parts are arrays; an empty array or a non-object element is data we do not use. */
    private static JsonNode firstObject(JsonNode root, String what) throws MalformedStreamException {
        if (root.isObject()) {
            return root;
        }
        if (!root.isArray()) {
            throw new MalformedStreamException(what + " is not a JSON array");
        }
        JsonNode first = root.get(0);
        return first != null && first.isObject() ? first : null;
    }

    private static List<Source> sources(JsonNode arr) {
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            return List.of();
        }
        List<Source> out = new ArrayList<>(arr.size());
        for (JsonNode s : arr) {
            if (s.isObject()) {
                out.add(new Source(number(s.get("id")), text(s.get("name")), text(s.get("source_uri"))));
            }
        }
        return out;
    }

    private static JsonNode field(JsonNode obj, String name) {
        return obj == null ? null : obj.get(name);
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static Long number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.canConvertToLong() && n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isTextual()) {
            try {
                return Long.valueOf(n.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
