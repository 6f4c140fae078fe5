package io.autoflow.gateway.autoflow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.autoflow.gateway.autoflow.StreamFixtures.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataStreamParserTest {

    private final DataStreamParser parser = new DataStreamParser(MAPPER);

    @Test
    void textParts() throws Exception {
        assertEquals(new TextPart("Ti"), parser.parseLine("0:\"Ti\""));
        assertEquals(new TextPart(""), parser.parseLine("0:\"\""));
        assertEquals(new TextPart("\n\n"), parser.parseLine("0:\"\\n\\n\""));
        assertEquals(new TextPart("a\"b\\c/é"), parser.parseLine("0:\"a\\\"b\\\\c\\/\\u00e9\""));
        assertEquals(new TextPart(" x "), parser.parseLine("0: \" x \" "));
    }

    @Test
    void blankAndUnknownCodesAreSkipped() throws Exception {
        assertNull(parser.parseLine(""));
        assertNull(parser.parseLine("   "));
        assertNull(parser.parseLine(null));
        assertNull(parser.parseLine("9:[{\"toolCallId\":\"1\"}]"));
        assertNull(parser.parseLine("a:{\"toolCallId\":\"1\",\"result\":\"x\"}"));
        assertNull(parser.parseLine("e:{\"finishReason\":\"stop\"}"));
        assertNull(parser.parseLine("f:not even json")); // unknown codes are not parsed at all
        assertNull(parser.parseLine("8:[]"));
    }

    @Test
    void chatStateInAnyKeyOrderWithUnknownAndMissingFields() throws Exception {
        String line = "2:[{\"extra\":1,\"assistant_message\":{\"finished_at\":\"2025-05-12T08:16:05.123456Z\","
                + "\"new_field\":{\"x\":[1]},\"content\":\"done\",\"id\":7,"
                + "\"sources\":[{\"source_uri\":\"u\",\"name\":\"n\",\"id\":\"42\",\"more\":true}]},"
                + "\"chat\":{\"id\":\"c-1\"}}]";
        assertEquals(new ChatState("c-1", null, 7L, "done", true, List.of(new Source(42L, "n", "u"))),
                parser.parseLine(line));
    }

    @Test
    void finishedAtInBothTimestampFormatsAndNull() throws Exception {
        String tpl = "2:[{\"chat\":{\"id\":\"c\"},\"user_message\":{\"id\":1},\"assistant_message\":{\"id\":2,%s}}]";
        assertTrue(((ChatState) parser.parseLine(String.format(tpl, "\"finished_at\":\"2025-05-12T08:15:42\""))).finished());
        assertTrue(((ChatState) parser.parseLine(String.format(tpl, "\"finished_at\":\"2025-05-12T08:16:05.123456Z\""))).finished());
        assertFalse(((ChatState) parser.parseLine(String.format(tpl, "\"finished_at\":null"))).finished());
        ChatState bare = (ChatState) parser.parseLine(String.format(tpl, "\"trace_url\":null"));
        assertEquals(new ChatState("c", 1L, 2L, null, false, List.of()), bare);
    }

    @Test
    void unusedPartsOfAChatStateAreSkippedButStillMustBeValidJson() throws Exception {
        String used = "\"assistant_message\":{\"engine_options\":{\"llm\":{\"deep\":[1,{\"x\":null}]}},"
                + "\"id\":7,\"content\":\"done\",\"finished_at\":\"2025-05-12T08:16:05\",\"chat_id\":\"c1\"}";
        ChatState state = (ChatState) parser.parseLine("2:[{\"chat\":{\"title\":{\"a\":[]},\"id\":\"c1\"},"
                + "\"extra\":[{}]," + used + "},{\"second\":\"ignored\"}]");
        assertEquals(new ChatState("c1", null, 7L, "done", true, java.util.List.of()), state);

        assertThrows(MalformedStreamException.class, () -> parser.parseLine(
                "2:[{\"chat\":{\"engine_options\":{\"llm\":[1,}},\"id\":\"c1\"}}]"));
        assertThrows(MalformedStreamException.class, () -> parser.parseLine("2:[{\"chat\":{\"id\":\"c1\"}}] x"));
        assertThrows(MalformedStreamException.class, () -> parser.parseLine("2:[{\"chat\":{\"id\":\"c1\"}"));
        assertNull(parser.parseLine("2:[\"not an object\",{\"chat\":{\"id\":\"c1\"}}]"));
    }

    @Test
    void chatIdFallsBackToTheMessagesChatId() throws Exception {
        ChatState s = (ChatState) parser.parseLine("2:[{\"assistant_message\":{\"chat_id\":\"c-9\"}}]");
        assertEquals("c-9", s.chatId());
    }

    @Test
    void annotations() throws Exception {
        assertEquals(new Annotation("KG_RETRIEVAL", "Identifying", "", List.of()),
                parser.parseLine("8:[{\"state\":\"KG_RETRIEVAL\",\"display\":\"Identifying\",\"context\":null,\"message\":\"\"}]"));
        assertEquals(new Annotation("SOURCE_NODES", null, null, List.of(new Source(1L, "a", null))),
                parser.parseLine("8:[{\"context\":[{\"id\":1,\"name\":\"a\",\"source_uri\":null}],\"state\":\"SOURCE_NODES\"}]"));
        assertEquals(new Annotation("SOURCE_NODES", "", "", List.of()),
                parser.parseLine("8:[{\"state\":\"SOURCE_NODES\",\"display\":\"\",\"context\":[],\"message\":\"\"}]"));
        // TRACE: context is an object; trace may also be a string or null elsewhere
        assertEquals(new Annotation("TRACE", "", "", List.of()),
                parser.parseLine("8:[{\"state\":\"TRACE\",\"display\":\"\",\"context\":{\"langfuse_url\":\"x\"},\"message\":\"\"}]"));
        assertEquals(new Annotation("SOMETHING_NEW", "d", "m", List.of()),
                parser.parseLine("8:[{\"state\":\"SOMETHING_NEW\",\"display\":\"d\",\"context\":\"str\",\"message\":\"m\"}]"));
    }

    @Test
    void streamErrors() throws Exception {
        assertEquals(new StreamError("boom"), parser.parseLine("3:\"boom\""));
        assertEquals(new StreamError("say \"hi\""), parser.parseLine("3:\"say \\\"hi\\\"\""));
        assertEquals(new StreamError("{\"code\":1}"), parser.parseLine("3:{\"code\":1}"));
    }

    @Test
    void malformedLines() {
        for (String bad : List.of("no colon here", ":\"x\"", "0 :\"x\"", "{\"chat_id\":1}", "0:", "0:\"unterminated",
                "0:\"a\" trailing", "0:\"a\"\"b\"", "0:42", "2:{broken", "2:\"text\"", "8:17", "3:", "2:[{}] x")) {
            MalformedStreamException e = assertThrows(MalformedStreamException.class, () -> parser.parseLine(bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
    }

    /** The relay parses lines as the bytes they arrived in: every line must read as it does decoded. */
    @Test
    void bytesAndTextGiveTheSameEventsAndTheSameRejections() throws Exception {
        List<byte[]> lines = new ArrayList<>();
        for (String vector : List.of("new-chat.stream", "continue-first-line.stream", "error-mid-stream.stream",
                "legacy-trace-annotation.stream", "non-ascii-text-parts.stream")) {
            byte[] all = StreamFixtures.vector(vector);
            for (int start = 0, i = 0; i <= all.length; i++) {
                if (i == all.length || all[i] == '\n') {
                    lines.add(Arrays.copyOfRange(all, start, i));
                    start = i + 1;
                }
            }
        }
        for (String text : List.of("0:\"caf\u00e9 \\\" \\n\"", "0:\"a\"\r", "", "   ", "9:[1]", "0 :\"x\"", "0:42",
                "2:{broken", "8:17", "0:\"\"", "0:\"unterminated")) {
            lines.add(text.getBytes(StandardCharsets.UTF_8));
        }
        // Malformed UTF-8 inside JSON: the decoded text has U+FFFD there, and is accepted as before.
        lines.add(new byte[] {'8', ':', '[', '{', '"', 's', 't', 'a', 't', 'e', '"', ':', '"', (byte) 0xC3, '"', '}', ']'});
        assertTrue(lines.size() > 60, "the vectors were read");
        for (byte[] line : lines) {
            String text = new String(line, StandardCharsets.UTF_8);
            byte[] padded = new byte[line.length + 6];
            System.arraycopy(line, 0, padded, 3, line.length);
            Object fromText;
            try {
                fromText = parser.parseLine(text);
            } catch (MalformedStreamException e) {
                fromText = e.getMessage();
            }
            Object fromBytes;
            try {
                fromBytes = parser.parseLine(padded, 3, line.length);
            } catch (MalformedStreamException e) {
                fromBytes = e.getMessage();
            }
            assertEquals(fromText, fromBytes, text);
        }
    }
}
