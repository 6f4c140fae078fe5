package io.autoflow.gateway.autoflow;

import java.io.IOException;

/**
 * A line of the data stream is not {@code <code>:<json>} or its JSON does not parse.
 * The message never contains the line itself: answers may hold user data and must not leak into logs.
 */
public class MalformedStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedStreamException(String message) {
        super(message);
    }
}
