package io.autoflow.gateway.session;

/**
 * Lifecycle callbacks, e.g. for metrics. Called on the thread that caused the event, so they must
 * be quick and must not call back into the store.
 */
public interface SessionListener {

    SessionListener NONE = new SessionListener() {
        @Override
        public void created(Session s) {
        }

        @Override
        public void closed(Session s, CloseReason reason) {
        }
    };

    void created(Session s);

    /** Called exactly once per session that ends, whether deleted or expired. */
    void closed(Session s, CloseReason reason);
}
