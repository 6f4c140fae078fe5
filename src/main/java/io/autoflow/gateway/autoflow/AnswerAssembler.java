package io.autoflow.gateway.autoflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Folds the events of one streamed answer into its text, sources and outcome.
 * One instance per answer; not thread-safe.
 */
public final class AnswerAssembler {

    public enum Outcome {
        /** A 2: with {@code finished_at} set was seen. */
        COMPLETE,
        /** A 3: error was seen. */
        FAILED,
        /** Neither: the stream ended early. */
        TRUNCATED
    }

    private final StringBuilder text = new StringBuilder();
    private List<Source> finalSources;
    private List<Source> annotationSources = List.of();
    private String chatId;
    private Long assistantMessageId;
    private boolean finished;
    private String errorMessage;
    private boolean failed;

    /** Accepts the next event; null (a skipped line) is ignored. */
    public void accept(AutoflowEvent e) {
        if (e instanceof TextPart t) {
            text.append(t.text());
        } else if (e instanceof ChatState s) {
            if (s.chatId() != null) {
                chatId = s.chatId();
            }
            if (s.assistantMessageId() != null) {
                assistantMessageId = s.assistantMessageId();
            }
            if (s.finished()) {
                finished = true;
                finalSources = s.sources();
            }
        } else if (e instanceof Annotation a) {
            if ("SOURCE_NODES".equals(a.state())) {
                annotationSources = a.sources();
            }
        } else if (e instanceof StreamError err) {
            failed = true;
            errorMessage = err.message();
        }
    }

    /** The concatenated text parts, in order. */
    public String text() {
        return text.toString();
    }

    /** Sources of the final 2: if one was seen, else of the SOURCE_NODES annotation; de-duplicated by uri+name. */
    public List<Source> sources() {
        List<Source> all = finalSources != null ? finalSources : annotationSources;
        if (all.size() < 2) {
            return all;
        }
        Set<List<String>> seen = new HashSet<>();
        List<Source> out = new ArrayList<>(all.size());
        for (Source s : all) {
            // List.of rejects nulls, Arrays.asList does not
            if (seen.add(Arrays.asList(s.sourceUri(), s.name()))) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** The upstream chat id from any 2: seen, or null. */
    public String chatId() {
        return chatId;
    }

    public Long assistantMessageId() {
        return assistantMessageId;
    }

    /** An error wins over a finished 2:: an upstream that reports a failure never succeeded. */
    public Outcome outcome() {
        if (failed) {
            return Outcome.FAILED;
        }
        return finished ? Outcome.COMPLETE : Outcome.TRUNCATED;
    }

    /** The 3: message, or null. */
    public String errorMessage() {
        return errorMessage;
    }
}
