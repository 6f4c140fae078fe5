package io.autoflow.gateway.autoflow;

import java.util.List;

/**
 * Code {@code 2:}: the chat/user_message/assistant_message triple, sent at the start
 * ({@code finished=false}, empty content) and again at the end ({@code finished=true}, full content, sources).
 *
 * @param finished whether {@code assistant_message.finished_at} is set
 */
public record ChatState(String chatId, Long userMessageId, Long assistantMessageId,
                        String assistantContent, boolean finished, List<Source> sources) implements AutoflowEvent {
    public ChatState {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
