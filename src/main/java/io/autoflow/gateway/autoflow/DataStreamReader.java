package io.autoflow.gateway.autoflow;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads Autoflow's data stream event by event from a byte stream. Not thread-safe.
 * <p>
 * Bytes are buffered up to the LF before decoding, so a line or a multi-byte UTF-8 character split
 * across reads is reassembled intact. A last line without LF is still parsed at end of stream.
 */
public final class DataStreamReader implements Closeable {

    /** Bounds memory if an upstream never sends an LF; a final 2: line with a long answer stays far below. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final DataStreamParser parser;
    // Starts small: an open stream keeps its buffer, and most lines are one token. Grows for long lines.
    private byte[] buf = new byte[2048];
    private int start;   // first byte of the current line
    private int scanned; // bytes before this index (from start) hold no LF
    private int end;     // end of valid data
    private boolean eof;
    private long lineNumber;

    public DataStreamReader(InputStream in, ObjectMapper mapper) {
        this.in = Objects.requireNonNull(in, "in");
        this.parser = new DataStreamParser(mapper);
    }

    /**
     * @return the next event, or null at end of stream
     * @throws MalformedStreamException for a line that is not {@code <code>:<json>} or whose JSON does not parse
     */
    public AutoflowEvent next() throws IOException {
        while (true) {
            String line = nextLine();
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                continue;
            }
            try {
                AutoflowEvent event = parser.parseLine(line);
                if (event != null) {
                    return event;
                }
            } catch (MalformedStreamException e) {
                throw new MalformedStreamException("line " + lineNumber + ": " + e.getMessage());
            }
        }
    }

    private String nextLine() throws IOException {
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    return takeLine(i, i + 1);
                }
            }
            scanned = end;
            if (eof) {
                return start < end ? takeLine(end, end) : null;
            }
            fill();
        }
    }

    private String takeLine(int lineEnd, int next) {
        lineNumber++;
        String line = lineEnd == start ? "" : new String(buf, start, lineEnd - start, StandardCharsets.UTF_8);
        start = next;
        scanned = next;
        return line;
    }

    private void fill() throws IOException {
        if (start == end) {
            start = end = scanned = 0;
        } else if (end == buf.length && start > 0) {
            int len = end - start;
            System.arraycopy(buf, start, buf, 0, len);
            scanned -= start;
            start = 0;
            end = len;
        }
        if (end == buf.length) {
            if (buf.length >= MAX_LINE_BYTES) {
                throw new MalformedStreamException("line " + (lineNumber + 1) + ": longer than " + MAX_LINE_BYTES + " bytes");
            }
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES));
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
