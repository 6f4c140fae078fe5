package io.autoflow.gateway.observability;

import java.util.List;

import io.autoflow.gateway.api.HttpExchanges;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) from the client to Autoflow: a client's
 * {@code traceparent} and {@code tracestate} go with the gateway's upstream call, so one trace covers the
 * client, the gateway and Autoflow. No other client header is ever copied.
 *
 * <p>The policy, with camel-opentelemetry2 off (the default):
 * <ul>
 * <li>A valid {@code traceparent} is forwarded unchanged: same trace-id, same parent-id, same flags. The
 * gateway records no span of its own, so it does not invent a parent-id: a span id that no one reports would
 * leave Autoflow's spans pointing at a parent that does not exist. A later version than {@code 00} is forwarded
 * in its version-00 form (its first four fields), as the specification asks.</li>
 * <li>An invalid one (wrong length or layout, upper-case or non-hex digits, version {@code ff}, an all-zero
 * trace-id or parent-id, the header sent twice) is dropped, and so is {@code tracestate}; the call goes ahead
 * as if none had been sent. Never an error.</li>
 * <li>{@code tracestate} goes along only with a valid {@code traceparent}, when it is well formed (at most 32
 * {@code key=value} members, at most 512 characters; several headers are joined with commas); otherwise the
 * {@code traceparent} goes alone.</li>
 * <li>No {@code traceparent} from the client: the gateway starts no trace. A trace-id that no one records would
 * serve no one; {@code X-Request-Id} already names the call upstream.</li>
 * </ul>
 * With camel-opentelemetry2 on, its tracer sets both headers on the upstream call after this step: the
 * client's trace-id with the gateway's own client span as parent-id, and a new trace when the client sent none.
 *
 * <p>The headers are read from the client's Vert.x request, not from the exchange's message: on a retry, or
 * after session recovery, the message carries the previous upstream response's headers (and, with tracing on,
 * the tracer's own). Cheap on the hot path: a valid value is forwarded as the same {@code String}, checked in
 * one pass with no allocation; nothing at all is done when the client sent none.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** The specification asks vendors to pass at least 512 characters; a longer tracestate is dropped. */
    static final int MAX_TRACESTATE_CHARS = 512;
    static final int MAX_TRACESTATE_MEMBERS = 32;

    private static final int VERSION_00_LENGTH = 55;

    /**
     * Sets the client's trace context on the upstream request's message; call it after the inbound headers
     * were removed. Does nothing when the exchange has no client HTTP request or the client sent none.
     */
    public void propagate(Exchange exchange, Message upstream) {
        HttpServerRequest request = HttpExchanges.request(exchange);
        if (request == null) {
            return;
        }
        MultiMap headers = request.headers();
        String traceparent = traceparent(headers);
        if (traceparent == null) {
            return;
        }
        upstream.setHeader(TRACEPARENT, traceparent);
        String tracestate = tracestate(headers);
        if (tracestate != null) {
            upstream.setHeader(TRACESTATE, tracestate);
        }
    }

    /** The traceparent to forward from these request headers, or null (none, invalid, or sent twice). */
    public String traceparent(MultiMap headers) {
        String value = headers.get(TRACEPARENT);
        if (value == null) {
            return null;
        }
        // Sent twice: the specification's test suite expects the header to be treated as invalid.
        if (headers.getAll(TRACEPARENT).size() != 1) {
            return null;
        }
        return traceparent(value);
    }

    /** The tracestate to forward from these request headers (several are joined with commas), or null. */
    public String tracestate(MultiMap headers) {
        String value = headers.get(TRACESTATE);
        if (value == null) {
            return null;
        }
        List<String> all = headers.getAll(TRACESTATE);
        return tracestate(all.size() == 1 ? value : String.join(",", all));
    }

    /**
     * A traceparent header value as it should be forwarded: the same string for a valid version-00 value
     * (surrounding spaces or tabs aside), the version-00 form of a valid later version, null when invalid.
     */
    public String traceparent(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        int length = end - start;
        if (length < VERSION_00_LENGTH) {
            return null;
        }
        char v0 = value.charAt(start);
        char v1 = value.charAt(start + 1);
        if (!isLowerHex(v0) || !isLowerHex(v1) || v0 == 'f' && v1 == 'f') {
            return null;
        }
        boolean version00 = v0 == '0' && v1 == '0';
        if (version00 ? length != VERSION_00_LENGTH
                : length > VERSION_00_LENGTH && value.charAt(start + VERSION_00_LENGTH) != '-') {
            return null;
        }
        if (value.charAt(start + 2) != '-' || value.charAt(start + 35) != '-' || value.charAt(start + 52) != '-') {
            return null;
        }
        if (!isLowerHexId(value, start + 3, start + 35) || !isLowerHexId(value, start + 36, start + 52)
                || !isLowerHex(value.charAt(start + 53)) || !isLowerHex(value.charAt(start + 54))) {
            return null;
        }
        if (!version00) {
            return "00" + value.substring(start + 2, start + VERSION_00_LENGTH);
        }
        return start == 0 && end == value.length() ? value : value.substring(start, end);
    }

    /**
     * A tracestate header value if it is well formed: a list of at most 32 {@code key=value} members (empty
     * members and spaces or tabs around them allowed), at most 512 characters in all; else null.
     */
    public String tracestate(String value) {
        int length = value.length();
        if (length > MAX_TRACESTATE_CHARS) {
            return null;
        }
        int members = 0;
        int from = 0;
        while (from <= length) {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? length : comma;
            int start = from;
            int end = to;
            while (start < end && isOws(value.charAt(start))) {
                start++;
            }
            while (end > start && isOws(value.charAt(end - 1))) {
                end--;
            }
            if (start < end) {
                if (++members > MAX_TRACESTATE_MEMBERS || !isMember(value, start, end)) {
                    return null;
                }
            }
            from = to + 1;
        }
        return members == 0 ? null : value;
    }

    /** {@code key=value}: key a simple key or {@code tenant@system}, value 1 to 256 printable characters. */
    private static boolean isMember(String s, int start, int end) {
        int eq = s.indexOf('=', start);
        if (eq < 0 || eq >= end) {
            return false;
        }
        return isKey(s, start, eq) && isValue(s, eq + 1, end);
    }

    private static boolean isKey(String s, int start, int end) {
        int at = -1;
        for (int i = start; i < end; i++) {
            if (s.charAt(i) == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            }
        }
        if (at < 0) {
            // simple-key = lcalpha 0*255( lcalpha / DIGIT / "_" / "-"/ "*" / "/" )
            return end - start >= 1 && end - start <= 256 && isLowerAlpha(s.charAt(start)) && keyChars(s, start + 1, end);
        }
        // tenant-id = ( lcalpha / DIGIT ) 0*240( ... ) ; system-id = lcalpha 0*13( ... )
        int tenant = at - start;
        int system = end - at - 1;
        return tenant >= 1 && tenant <= 241 && system >= 1 && system <= 14
                && (isLowerAlpha(s.charAt(start)) || isDigit(s.charAt(start))) && keyChars(s, start + 1, at)
                && isLowerAlpha(s.charAt(at + 1)) && keyChars(s, at + 2, end);
    }

    private static boolean keyChars(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (!(isLowerAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-7E except "," and "=". */
    private static boolean isValue(String s, int start, int end) {
        if (end - start < 1 || end - start > 256 || s.charAt(end - 1) == ' ') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return true;
    }

    /** Lower-case hex and not all zeros. */
    private static boolean isLowerHexId(String s, int start, int end) {
        boolean nonZero = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (!isLowerHex(c)) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    private static boolean isLowerHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
    }

    private static boolean isLowerAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
