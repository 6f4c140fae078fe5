package io.autoflow.gateway.chat;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.autoflow.gateway.api.ErrorCode;
import io.autoflow.gateway.api.GatewayException;

/**
 * The three upstream deadlines, each its own setting: the answer's first byte, the longest gap between
 * stream events, and the whole answer. One timer task per call, rescheduled to the nearest deadline;
 * events only write a timestamp, so the hot path pays one volatile write per event.
 */
public final class UpstreamDeadlines {

    /** Immutable settings, from {@code autoflow.timeout}, {@code autoflow.idle-timeout}, {@code autoflow.total-timeout}. */
    public record Settings(Duration firstByte, Duration idle, Duration total) {
    }

    private final Settings settings;
    private final ScheduledExecutorService timer;
    private final UpstreamCalls calls;

    public UpstreamDeadlines(Settings settings, ScheduledExecutorService timer, UpstreamCalls calls) {
        this.settings = settings;
        this.timer = timer;
        this.calls = calls;
    }

    public Settings settings() {
        return settings;
    }

    /** Arms the deadlines for one attempt of a turn; the total deadline counts from the turn's start. */
    public Watch watch(ChatTurn turn) {
        Watch watch = new Watch(turn);
        watch.schedule();
        return watch;
    }

    /** The deadlines of one call. */
    public final class Watch {

        private final ChatTurn turn;
        private final long totalDeadline;
        private final long firstByteDeadline;
        private volatile boolean headers;
        private volatile long lastEvent;
        private volatile boolean closed;
        private volatile ScheduledFuture<?> task;

        Watch(ChatTurn turn) {
            this.turn = turn;
            long now = System.nanoTime();
            this.totalDeadline = now - turn.elapsedNanos() + settings.total().toNanos();
            this.firstByteDeadline = now + settings.firstByte().toNanos();
            this.lastEvent = now;
        }

        /** The answer began: from now on the idle deadline applies, which may come sooner. */
        public void headersReceived() {
            lastEvent = System.nanoTime();
            headers = true;
            ScheduledFuture<?> t = task;
            if (t != null && t.cancel(false) && !closed) {
                schedule();
            }
        }

        public void eventReceived() {
            lastEvent = System.nanoTime();
        }

        public void close() {
            closed = true;
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            calls.forget(turn.requestId());
        }

        private void schedule() {
            long next = headers ? Math.min(lastEvent + settings.idle().toNanos(), totalDeadline)
                    : Math.min(firstByteDeadline, totalDeadline);
            task = timer.schedule(this::check, Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        private void check() {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            String why = null;
            if (now >= totalDeadline) {
                why = "Autoflow did not finish its answer within " + settings.total().toSeconds() + " s";
            } else if (!headers && now >= firstByteDeadline) {
                why = "Autoflow did not start answering within " + settings.firstByte().toSeconds() + " s";
            } else if (headers && now - lastEvent >= settings.idle().toNanos()) {
                why = "Autoflow sent nothing for " + settings.idle().toSeconds() + " s";
            }
            if (why == null) {
                schedule();
                return;
            }
            turn.abort(new GatewayException(ErrorCode.UPSTREAM_TIMEOUT, why));
            calls.abort(turn.requestId());
        }
    }
}
