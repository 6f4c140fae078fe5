package io.autoflow.gateway.streaming;

import java.io.IOException;

/** The client closed its stream, or read nothing for too long: there is no one left to answer. */
public final class ClientGoneException extends IOException {

    public ClientGoneException(String message) {
        super(message);
    }
}
