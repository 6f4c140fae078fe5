package io.autoflow.gateway.autoflow;

import java.util.Objects;

/** Code {@code 0:}: a piece of the answer, to be appended in order; may be empty. */
public record TextPart(String text) implements AutoflowEvent {
    public TextPart {
        Objects.requireNonNull(text, "text");
    }
}
