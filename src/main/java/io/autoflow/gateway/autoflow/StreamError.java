package io.autoflow.gateway.autoflow;

/** Code {@code 3:}: an error that ends the stream (the HTTP status is still 200). */
public record StreamError(String message) implements AutoflowEvent {
}
