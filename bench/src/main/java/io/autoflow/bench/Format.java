package io.autoflow.bench;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.buffer.Buffer;

/**
 * How a response body is read, one line (LF stripped) at a time. Prefixes are compared as bytes so
 * the common lines (tokens) cost no string allocation.
 */
enum Format {

    /** The gateway's Server-Sent Events: success is {@code event: done}, its data line, then the end. */
    GATEWAY {
        @Override
        Line read(Buffer line, Stream s) {
            if (startsWith(line, SSE_TEXT)) {
                s.progress = 0;
                return Line.TOKEN;
            }
            if (startsWith(line, SSE_ERROR)) {
                s.progress = 0;
                Matcher code = ERROR_CODE.matcher(line.toString(StandardCharsets.UTF_8));
                s.error(code.find() ? "stream_error_" + code.group(1) : "stream_error");
                return Line.OTHER;
            }
            if (equalsBytes(line, SSE_DONE)) {
                s.progress = 1;
            } else if (s.progress == 1 && startsWith(line, SSE_DATA)) {
                s.progress = 2;
            } else if (line.length() > 0) {
                s.progress = 0; // anything after done's data means the body did not end there
            }
            return Line.OTHER;
        }
    },

    /** Autoflow's data stream: success is a last non-empty line {@code 2:...} with finished_at set. */
    UPSTREAM {
        @Override
        Line read(Buffer line, Stream s) {
            if (line.length() == 0) {
                return Line.OTHER;
            }
            if (startsWith(line, DS_TEXT)) {
                s.progress = 0;
                return Line.TOKEN;
            }
            if (startsWith(line, DS_ERROR)) {
                s.progress = 0;
                s.error("stream_error");
                return Line.OTHER;
            }
            boolean finalLine = startsWith(line, DS_CHAT)
                    && line.toString(StandardCharsets.UTF_8).contains("\"finished_at\":\"");
            s.progress = finalLine ? 2 : 0;
            return Line.OTHER;
        }
    };

    /** What a line means for timing: only answer text counts as a token. */
    enum Line { TOKEN, OTHER }

    /** {@code progress} value meaning "the body so far is a complete answer". */
    static final int COMPLETE = 2;

    private static final byte[] SSE_TEXT = bytes("data: {\"text\"");
    private static final byte[] SSE_ERROR = bytes("data: {\"error\"");
    private static final byte[] SSE_DONE = bytes("event: done");
    private static final byte[] SSE_DATA = bytes("data:");
    private static final byte[] DS_TEXT = bytes("0:");
    private static final byte[] DS_ERROR = bytes("3:");
    private static final byte[] DS_CHAT = bytes("2:");
    private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_.-]+)\"");

    /** Reads one line (without LF or CR), updating the stream's progress and error. */
    abstract Line read(Buffer line, Stream s);

    static Format parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }

    private static boolean startsWith(Buffer line, byte[] prefix) {
        if (line.length() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line.getByte(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsBytes(Buffer line, byte[] text) {
        return line.length() == text.length && startsWith(line, text);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
