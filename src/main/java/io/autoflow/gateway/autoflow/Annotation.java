package io.autoflow.gateway.autoflow;

import java.util.List;

/**
 * Code {@code 8:}: a progress annotation (first element of the array). {@code state} is a name such as
 * {@code KG_RETRIEVAL} or {@code SOURCE_NODES}; unknown states (e.g. the legacy {@code TRACE}) are kept as-is.
 *
 * @param sources the {@code context} documents when state is {@code SOURCE_NODES}, else empty
 */
public record Annotation(String state, String display, String message, List<Source> sources) implements AutoflowEvent {
    public Annotation {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
