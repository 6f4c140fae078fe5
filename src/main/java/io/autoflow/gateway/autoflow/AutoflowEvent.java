package io.autoflow.gateway.autoflow;

/**
 * One event of Autoflow's streaming "data stream" body ({@code <code>:<compact JSON>\n} per line).
 * Only the codes the gateway acts on are modelled; others are skipped by the parser.
 */
public sealed interface AutoflowEvent permits TextPart, ChatState, Annotation, StreamError {
}
