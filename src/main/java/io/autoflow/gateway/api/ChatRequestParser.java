package io.autoflow.gateway.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns a raw request body into a {@link ChatRequest}, or a {@link GatewayException} a client can act on. */
public final class ChatRequestParser {

    private final ObjectMapper mapper;
    private final int maxMessageChars;

    public ChatRequestParser(ObjectMapper mapper, int maxMessageChars) {
        this.mapper = mapper;
        this.maxMessageChars = maxMessageChars;
    }

    public ChatRequest parse(byte[] body, boolean streamEndpoint) {
        JsonNode root = readObject(body);
        String message = question(root);
        if (message.isBlank()) {
            throw invalid("'message' must not be empty");
        }
        if (hasLoneSurrogate(message)) {
            throw invalid("'message' is not valid Unicode (it holds a lone surrogate escape)");
        }
        // Autoflow counts characters as Python does (code points); its own limit is 10000.
        if (message.codePointCount(0, message.length()) > maxMessageChars) {
            throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "'message' is longer than " + maxMessageChars + " characters");
        }
        String sessionId = optionalText(root, "session_id");
        String engine = optionalText(root, "engine");
        if (engine != null && (engine.isBlank() || engine.length() > 256)) {
            throw invalid("'engine' must be a non-empty engine name of at most 256 characters");
        }
        Double temperature = optionalNumber(root, "temperature");
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw invalid("'temperature' must be between 0 and 2");
        }
        Integer maxTokens = optionalInt(root, "max_tokens");
        if (maxTokens != null && maxTokens < 1) {
            throw invalid("'max_tokens' must be a positive integer");
        }
        boolean stream = streamEndpoint || Boolean.TRUE.equals(optionalBoolean(root, "stream"));
        return new ChatRequest(sessionId, message, engine, temperature, maxTokens, stream);
    }

    private JsonNode readObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("The request body must be a JSON object");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("The request body is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid("The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("The request body must be a JSON object");
        }
        return root;
    }

    /** The contract's "message", else deep-chat's newest user entry of "messages". */
    private String question(JsonNode root) {
        JsonNode message = root.get("message");
        if (message != null && !message.isNull()) {
            if (!message.isTextual()) {
                throw invalid("'message' must be a string");
            }
            return message.asText();
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull()) {
            throw invalid("'message' is required");
        }
        if (!messages.isArray()) {
            throw invalid("'messages' must be an array");
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode entry = messages.get(i);
            if (entry.isObject() && "user".equals(entry.path("role").asText("user"))) {
                JsonNode text = entry.get("text");
                if (text == null || !text.isTextual()) {
                    throw invalid("'messages[" + i + "].text' must be a string");
                }
                return text.asText();
            }
        }
        throw invalid("'messages' holds no user message");
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid("'" + field + "' must be a string");
        }
        return node.asText();
    }

    private static Double optionalNumber(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw invalid("'" + field + "' must be a number");
        }
        return node.asDouble();
    }

    private static Integer optionalInt(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw invalid("'" + field + "' must be an integer");
        }
        return node.asInt();
    }

    private static Boolean optionalBoolean(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw invalid("'" + field + "' must be true or false");
        }
        return node.asBoolean();
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }
}
