package io.autoflow.gateway.autoflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoflow.gateway.autoflow.AnswerAssembler.Outcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.autoflow.gateway.autoflow.StreamFixtures.MAPPER;
import static io.autoflow.gateway.autoflow.StreamFixtures.VECTORS;
import static io.autoflow.gateway.autoflow.StreamFixtures.assemble;
import static io.autoflow.gateway.autoflow.StreamFixtures.readAll;
import static io.autoflow.gateway.autoflow.StreamFixtures.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every upstream sample in ../shared/autoflow-vectors through the reader and the assembler. */
class VectorsTest {

    static final String CHAT_ID = "0196c3a1-5b2e-7c4d-9a10-3f7e2b8c6d01";
    static final String NEW_CHAT_TEXT = "TiDB is an open-source distributed SQL database that supports Hybrid "
            + "Transactional and Analytical Processing (HTAP) workloads[^1].\n\n"
            + "[^1]: [TiDB Introduction](https://docs.pingcap.com/tidb/stable/overview)";
    static final List<Source> SOURCES = List.of(
            new Source(8247L, "TiDB Architecture", "https://docs.pingcap.com/tidb/stable/tidb-architecture"),
            new Source(9373L, "TiDB Introduction", "https://docs.pingcap.com/tidb/stable/overview"));

    private static final Set<String> COVERED = Set.of("new-chat.stream", "continue-first-line.stream",
            "error-mid-stream.stream", "non-ascii-text-parts.stream", "legacy-trace-annotation.stream",
            "non-stream-response.json", "validation-errors.jsonl");

    @Test
    void everyVectorFileIsCovered() throws IOException {
        try (Stream<Path> files = Files.list(VECTORS)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(COVERED), names, "a new vector file needs a test here");
        }
    }

    @Test
    void newChatIsCompleteWithExactText() throws IOException {
        List<AutoflowEvent> events = readAll(vector("new-chat.stream"));
        AnswerAssembler a = assemble(events);
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(NEW_CHAT_TEXT, a.text());
        assertEquals(SOURCES, a.sources());
        assertEquals(CHAT_ID, a.chatId());
        assertEquals(60034L, a.assistantMessageId());
        assertNull(a.errorMessage());

        ChatState first = assertInstanceOf(ChatState.class, events.get(0));
        assertEquals(new ChatState(CHAT_ID, 60033L, 60034L, "", false, List.of()), first);
        ChatState last = assertInstanceOf(ChatState.class, events.get(events.size() - 1));
        assertTrue(last.finished());
        assertEquals(NEW_CHAT_TEXT, last.assistantContent());
        assertEquals(SOURCES, last.sources());

        List<String> states = events.stream().filter(Annotation.class::isInstance)
                .map(e -> ((Annotation) e).state()).toList();
        assertEquals(List.of("KG_RETRIEVAL", "REFINE_QUESTION", "REFINE_QUESTION", "SEARCH_RELATED_DOCUMENTS",
                "SOURCE_NODES", "GENERATE_ANSWER", "FINISHED"), states);
        Annotation refined = (Annotation) events.get(3);
        assertEquals("What is TiDB, and what are its main features and architecture?", refined.message());
        Annotation sourceNodes = (Annotation) events.get(5);
        assertEquals(SOURCES, sourceNodes.sources());
        assertEquals(38, events.stream().filter(TextPart.class::isInstance).count());
    }

    @Test
    void continueFirstLineCarriesTheChatAndNextOrdinals() throws IOException {
        List<AutoflowEvent> events = readAll(vector("continue-first-line.stream"));
        assertEquals(List.of(new ChatState(CHAT_ID, 60035L, 60036L, "", false, List.of())), events);
        AnswerAssembler a = assemble(events);
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(CHAT_ID, a.chatId());
        assertEquals(60036L, a.assistantMessageId());
        assertEquals("", a.text());
    }

    @Test
    void errorMidStreamFailsWithMessage() throws IOException {
        List<AutoflowEvent> events = readAll(vector("error-mid-stream.stream"));
        assertEquals(3, events.size());
        AnswerAssembler a = assemble(events);
        assertEquals(Outcome.FAILED, a.outcome());
        assertEquals("Encountered an error while processing the chat. Please try again later.", a.errorMessage());
        assertEquals(CHAT_ID, a.chatId());
        assertEquals("", a.text());
        assertEquals(List.of(), a.sources());
    }

    @Test
    void legacyTraceAnnotationIsTolerated() throws IOException {
        List<AutoflowEvent> events = readAll(vector("legacy-trace-annotation.stream"));
        assertEquals(List.of(new Annotation("TRACE", "Searching the Knowledge Graph for Relevant Context", "", List.of())),
                events);
        AnswerAssembler a = assemble(events);
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertNull(a.chatId());
        assertEquals(List.of(), a.sources());
    }

    @Test
    void nonAsciiEscapesAreDecoded() throws IOException {
        List<AutoflowEvent> events = readAll(vector("non-ascii-text-parts.stream"));
        assertEquals(List.of(new TextPart("TiDB 是一个分布式数据库"), new TextPart("café ✓")), events);
        assertEquals("TiDB 是一个分布式数据库café ✓", assemble(events).text());
    }

    @Test
    void nonStreamResponseIsPlainJsonNotAStream() throws IOException {
        byte[] body = vector("non-stream-response.json");
        JsonNode n = MAPPER.readTree(body);
        assertEquals(CHAT_ID, n.get("chat_id").asText());
        assertEquals(60034L, n.get("message_id").asLong());
        assertEquals(NEW_CHAT_TEXT, n.get("content").asText());
        assertEquals(SOURCES.size(), n.get("sources").size());
        // A gateway that mistakes it for a stream must fail loudly, not produce an empty answer.
        MalformedStreamException e = assertThrows(MalformedStreamException.class, () -> readAll(body));
        assertFalse(e.getMessage().contains("chat_id"));
    }

    @Test
    void validationErrorsAreJsonLinesWithDetailArrays() throws IOException {
        List<String> lines = Files.readAllLines(VECTORS.resolve("validation-errors.jsonl"), StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        for (String line : lines) {
            JsonNode item = MAPPER.readTree(line).get("detail").get(0);
            assertEquals(List.of("type", "loc", "msg", "input", "ctx"), fieldNames(item));
        }
        assertThrows(MalformedStreamException.class, () -> readAll(vector("validation-errors.jsonl")));
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
