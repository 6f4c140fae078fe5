package io.autoflow.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

/**
 * Autoflow's response bodies, cut from the byte-exact samples (copies of {@code shared/autoflow-vectors})
 * so the framing and payloads are the server's own; only the chat id and the answer text change.
 */
final class AutoflowBodies {

    /** The chat id used throughout the samples; it becomes the placeholder. */
    private static final String SAMPLE_CHAT_ID = "0196c3a1-5b2e-7c4d-9a10-3f7e2b8c6d01";

    /** Everything about an N-token answer except the chat id, so a response is just copies. */
    record Answer(Buffer tokenLines, Template finalLine, Template json) {}

    private final Template startLine;
    private final Buffer progressLines;
    private final Buffer finishedLine;
    private final String finalLine;
    private final String nonStream;
    private final String sampleContentField;

    AutoflowBodies() {
        List<String> lines = resource("new-chat.stream").lines().toList();
        int firstToken = indexOfPrefix(lines, "0:");
        int finished = indexOfPrefix(lines, "8:[{\"state\":\"FINISHED\"");
        startLine = Template.of(lines.get(0) + "\n", SAMPLE_CHAT_ID);
        progressLines = Buffer.buffer(String.join("\n", lines.subList(1, firstToken)) + "\n");
        finishedLine = Buffer.buffer(lines.get(finished) + "\n");
        finalLine = lines.get(lines.size() - 1) + "\n";
        nonStream = resource("non-stream-response.json");
        // The sample's answer is the concatenation of its 0: parts; find it, JSON-encoded, to replace it.
        StringBuilder content = new StringBuilder();
        for (String line : lines.subList(firstToken, finished)) {
            content.append((String) Json.decodeValue(line.substring(2)));
        }
        sampleContentField = "\"content\":" + Json.encode(content.toString());
        if (!finalLine.contains(sampleContentField) || !nonStream.contains(sampleContentField)) {
            throw new IllegalStateException("sample bodies do not carry the streamed answer");
        }
    }

    /** The first {@code 2:} line: chat, user message and an empty, unfinished assistant message. */
    Buffer startLine(String chatId) {
        return startLine.render(chatId);
    }

    /** The {@code 8:} annotations from KG_RETRIEVAL to GENERATE_ANSWER, in the built-in engine's order. */
    Buffer progressLines() {
        return progressLines;
    }

    Buffer finishedLine() {
        return finishedLine;
    }

    /** The {@code 0:} line of token {@code k} (1-based); its text is {@code "tokK "}. */
    static Buffer tokenLine(int k) {
        return Buffer.buffer("0:" + Json.encode(token(k)) + "\n");
    }

    /** Builds the parts of an answer of {@code n} tokens; callers cache it per n. */
    Answer answer(int n) {
        StringBuilder content = new StringBuilder();
        Buffer tokenLines = Buffer.buffer();
        for (int k = 1; k <= n; k++) {
            content.append(token(k));
            tokenLines.appendBuffer(tokenLine(k));
        }
        String field = "\"content\":" + Json.encode(content.toString());
        return new Answer(tokenLines,
                Template.of(finalLine.replace(sampleContentField, field), SAMPLE_CHAT_ID),
                Template.of(nonStream.replace(sampleContentField, field), SAMPLE_CHAT_ID));
    }

    private static String token(int k) {
        return "tok" + k + " ";
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new IllegalStateException("sample stream has no line starting " + prefix);
    }

    private static String resource(String name) {
        try (InputStream in = AutoflowBodies.class.getResourceAsStream("/autoflow/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /autoflow/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
