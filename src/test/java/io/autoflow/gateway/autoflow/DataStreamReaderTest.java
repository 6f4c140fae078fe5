package io.autoflow.gateway.autoflow;

import io.autoflow.gateway.autoflow.AnswerAssembler.Outcome;
import io.autoflow.gateway.autoflow.StreamFixtures.ChunkedInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.autoflow.gateway.autoflow.StreamFixtures.MAPPER;
import static io.autoflow.gateway.autoflow.StreamFixtures.assemble;
import static io.autoflow.gateway.autoflow.StreamFixtures.readAll;
import static io.autoflow.gateway.autoflow.StreamFixtures.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataStreamReaderTest {

    /** Raw UTF-8 (as external engines send it), 2-, 3- and 4-byte chars, unknown codes and a blank line. */
    private static final String MIXED = "9:[{\"toolCallId\":\"x\"}]\n"
            + "0:\"raw: café ✓ 分布式 😀\"\n"
            + "\n"
            + "a:{\"result\":1}\n"
            + "0:\"escaped: caf\\u00e9 \\u2713 \\ud83d\\ude00\"\n"
            + "0:\"quote \\\" backslash \\\\ newline \\n\"\n";

    private static byte[] corpus() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(vector("new-chat.stream"));
        out.write(MIXED.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void rawUtf8EscapesAndUnknownCodes() throws IOException {
        List<AutoflowEvent> events = readAll(MIXED.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new TextPart("raw: café ✓ 分布式 😀"), new TextPart("escaped: café ✓ 😀"),
                new TextPart("quote \" backslash \\ newline \n")), events);
    }

    @Test
    void splitAtEveryByteOffsetGivesTheSameEvents() throws IOException {
        byte[] data = corpus();
        List<AutoflowEvent> expected = readAll(data);
        assertEquals(50, expected.size());
        for (int k = 1; k < data.length; k++) {
            int cut = k;
            List<AutoflowEvent> got = readAll(new ChunkedInputStream(data, n -> n == 0 ? cut : Integer.MAX_VALUE));
            assertEquals(expected, got, "split at byte " + k);
        }
    }

    @Test
    void aBodyInMemoryGivesTheEventsItsStreamGives() throws IOException {
        byte[] data = corpus();
        List<AutoflowEvent> fromBytes = new ArrayList<>();
        try (DataStreamReader r = new DataStreamReader(data, MAPPER)) {
            for (AutoflowEvent e = r.next(); e != null; e = r.next()) {
                fromBytes.add(e);
            }
            assertNull(r.next(), "the end stays the end");
        }
        assertEquals(readAll(new ChunkedInputStream(data, n -> 1)), fromBytes);
        try (DataStreamReader r = new DataStreamReader("0:\"no LF\"".getBytes(StandardCharsets.UTF_8), MAPPER)) {
            assertEquals(new TextPart("no LF"), r.next());
            assertNull(r.next());
        }
        try (DataStreamReader r = new DataStreamReader(new byte[0], MAPPER)) {
            assertNull(r.next());
        }
    }

    @Test
    void oneByteAndRandomSizedReads() throws IOException {
        byte[] data = corpus();
        List<AutoflowEvent> expected = readAll(data);
        assertEquals(expected, readAll(new ChunkedInputStream(data, n -> 1)));
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int max = 1 + random.nextInt(64);
            assertEquals(expected, readAll(new ChunkedInputStream(data, n -> 1 + random.nextInt(max))), "round " + round);
        }
    }

    @Test
    void multiByteCharSplitInsideTheChar() throws IOException {
        byte[] data = "0:\"😀✓é\"\n".getBytes(StandardCharsets.UTF_8);
        for (int k = 4; k < data.length - 2; k++) { // every cut inside the 4-, 3- and 2-byte chars
            int cut = k;
            assertEquals(List.of(new TextPart("😀✓é")), readAll(new ChunkedInputStream(data, n -> n == 0 ? cut : 1)));
        }
    }

    @Test
    void linesLongerThanTheInitialBufferAreReassembled() throws IOException {
        String big = "x".repeat(100_000) + "é";
        byte[] data = ("0:\"" + big + "\"\n0:\"end\"\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new TextPart(big), new TextPart("end")),
                readAll(new ChunkedInputStream(data, n -> 1000 + n)));
    }

    @Test
    void truncatedStreamIsTruncated() throws IOException {
        String whole = new String(vector("new-chat.stream"), StandardCharsets.UTF_8);
        String cut = whole.substring(0, whole.indexOf("8:[{\"state\":\"FINISHED\""));
        AnswerAssembler a = assemble(readAll(cut.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(VectorsTest.CHAT_ID, a.chatId());
        assertTrue(a.text().startsWith("TiDB is an open-source"));
        assertEquals(VectorsTest.SOURCES, a.sources()); // from SOURCE_NODES, no final 2: yet
    }

    @Test
    void lastLineWithoutLfIsStillParsed() throws IOException {
        assertEquals(List.of(new TextPart("a"), new TextPart("b")),
                readAll("0:\"a\"\n0:\"b\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void emptyStreamAndBlankLinesGiveNoEvents() throws IOException {
        assertEquals(List.of(), readAll(new byte[0]));
        assertEquals(List.of(), readAll("\n\n  \n\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void crLfLineEndingsAreTolerated() throws IOException {
        assertEquals(List.of(new TextPart("a"), new StreamError("boom")),
                readAll("0:\"a\"\r\n3:\"boom\"\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedLineThrowsWithoutLeakingTheLine() throws IOException {
        String secret = "hunter2-secret";
        byte[] data = ("0:\"ok\"\n0:\"" + secret + "\n").getBytes(StandardCharsets.UTF_8);
        try (DataStreamReader r = new DataStreamReader(new ChunkedInputStream(data, n -> 3), MAPPER)) {
            assertEquals(new TextPart("ok"), r.next());
            MalformedStreamException e = assertThrows(MalformedStreamException.class, r::next);
            assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
        for (String bad : List.of("hello world\n", "0:{\"" + secret + "\n", "2:[{\"chat\":" + secret + "}]\n",
                ":\"x\"\n", "0 :\"x\"\n")) {
            MalformedStreamException e = assertThrows(MalformedStreamException.class,
                    () -> readAll(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertTrue(e.getMessage().length() < 100, e.getMessage());
        }
    }

    @Test
    void endOfStreamIsStickyAndCloseClosesTheInput() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream("0:\"a\"\n".getBytes(StandardCharsets.UTF_8), n -> 2);
        DataStreamReader r = new DataStreamReader(in, MAPPER);
        assertEquals(new TextPart("a"), r.next());
        assertNull(r.next());
        assertNull(r.next());
        r.close();
        assertTrue(in.closed);
    }
}
