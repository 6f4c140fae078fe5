package io.autoflow.gateway.autoflow;

/** A source document of an answer; any field may be null on odd upstreams. */
public record Source(Long id, String name, String sourceUri) {
}
