package io.autoflow.gateway.session;

/** Thrown by {@link SessionStore#create} when the configured number of sessions is live. */
public final class SessionLimitReachedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int active;

    public SessionLimitReachedException(int active) {
        super("Session limit reached (" + active + " active). Try again later or delete an unused session.");
        this.active = active;
    }

    public int active() {
        return active;
    }
}
