package io.autoflow.gateway.session;

import java.util.Locale;

/** Why a session ended; {@link #label()} is the value of the metrics' {@code reason} label. */
public enum CloseReason {
    DELETED, EXPIRED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
