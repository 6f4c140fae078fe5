package io.autoflow.gateway.autoflow;

import io.autoflow.gateway.autoflow.AnswerAssembler.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AnswerAssemblerTest {

    private static final Source A = new Source(1L, "A", "https://a");
    private static final Source B = new Source(2L, "B", "https://b");

    @Test
    void emptyIsTruncated() {
        AnswerAssembler a = new AnswerAssembler();
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals("", a.text());
        assertEquals(List.of(), a.sources());
        assertNull(a.chatId());
        assertNull(a.assistantMessageId());
        assertNull(a.errorMessage());
    }

    @Test
    void finalChatStateSourcesWinAndAreDeduplicatedInOrder() {
        AnswerAssembler a = new AnswerAssembler();
        a.accept(new ChatState("c", 1L, 2L, "", false, List.of()));
        a.accept(new Annotation("SOURCE_NODES", "", "", List.of(A)));
        a.accept(new TextPart("x"));
        a.accept(null);
        a.accept(new TextPart("y"));
        a.accept(new ChatState("c", 1L, 2L, "xy", true,
                List.of(B, A, new Source(99L, "B", "https://b"), new Source(3L, null, null), new Source(4L, null, null))));
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals("xy", a.text());
        assertEquals(List.of(B, A, new Source(3L, null, null)), a.sources());
        assertEquals("c", a.chatId());
        assertEquals(2L, a.assistantMessageId());
    }

    @Test
    void sourceNodesAnnotationWithoutFinalState() {
        AnswerAssembler a = new AnswerAssembler();
        a.accept(new Annotation("SOURCE_NODES", "", "", List.of(A, A, B)));
        a.accept(new Annotation("TRACE", "", "", List.of()));
        assertEquals(List.of(A, B), a.sources());
        assertEquals(Outcome.TRUNCATED, a.outcome());
    }

    @Test
    void finalStateWithoutSourcesMeansNoSources() {
        AnswerAssembler a = new AnswerAssembler();
        a.accept(new Annotation("SOURCE_NODES", "", "", List.of(A)));
        a.accept(new ChatState("c", 1L, 2L, "", true, List.of()));
        assertEquals(List.of(), a.sources());
    }

    @Test
    void errorMeansFailedEvenAfterAFinishedState() {
        AnswerAssembler a = new AnswerAssembler();
        a.accept(new ChatState("c", 1L, 2L, "", true, List.of()));
        a.accept(new StreamError("boom"));
        assertEquals(Outcome.FAILED, a.outcome());
        assertEquals("boom", a.errorMessage());
    }
}
