package io.autoflow.gateway.autoflow;

import java.io.IOException;
import java.util.Arrays;

/**
 * Cuts Autoflow's data stream into lines as its bytes arrive, in chunks of any size. Bytes are kept up to
 * the LF before decoding, so a line or a multi-byte UTF-8 character split across chunks is reassembled
 * intact. Not thread-safe. Used by the relay (chunks pushed from the event loop) and by
 * {@link DataStreamReader} (bytes pulled from a stream).
 */
public final class DataStreamLines {

    /** Bounds memory if an upstream never sends an LF; a final 2: line with a long answer stays far below. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    /**
     * Receives each line (without its LF) and its 1-based number, as bytes that are valid only during the
     * call: parsing them there spares decoding each line into a String first.
     */
    public interface Sink {
        void line(long number, byte[] bytes, int from, int length) throws IOException;
    }

    // Only the part of a line split across chunks is kept here, and only until its LF: an open stream waiting
    // for its next token keeps nothing (10,000 streams each holding a 2 KiB buffer are 20 MiB of heap).
    private static final byte[] NOTHING = new byte[0];
    private byte[] partial = NOTHING;
    private int partialLength;
    private long lineNumber;

    public void feed(byte[] data, int offset, int length, Sink sink) throws IOException {
        int end = offset + length;
        int lineStart = offset;
        for (int i = offset; i < end; i++) {
            if (data[i] != '\n') {
                continue;
            }
            if (partialLength == 0) {
                emit(data, lineStart, i - lineStart, sink);
            } else {
                keep(data, lineStart, i - lineStart);
                byte[] line = partial;
                int n = partialLength;
                partial = NOTHING;
                partialLength = 0;
                emit(line, 0, n, sink);
            }
            lineStart = i + 1;
        }
        keep(data, lineStart, end - lineStart);
    }

    /** The end of the stream: a last line without LF is still a line. */
    public void end(Sink sink) throws IOException {
        if (partialLength > 0) {
            byte[] line = partial;
            int n = partialLength;
            partial = NOTHING;
            partialLength = 0;
            emit(line, 0, n, sink);
        }
    }

    /** Parses one line, naming its number (never its content, which may hold an answer) when it is malformed. */
    public static AutoflowEvent parse(DataStreamParser parser, long number, byte[] bytes, int from, int length)
            throws MalformedStreamException {
        try {
            return parser.parseLine(bytes, from, length);
        } catch (MalformedStreamException e) {
            throw new MalformedStreamException("line " + number + ": " + e.getMessage());
        }
    }

    private void keep(byte[] data, int from, int n) throws MalformedStreamException {
        if (n == 0) {
            return;
        }
        if (partialLength + n > MAX_LINE_BYTES) {
            throw new MalformedStreamException("line " + (lineNumber + 1) + ": longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(Math.max(partialLength + n, partial.length * 2), MAX_LINE_BYTES));
        }
        System.arraycopy(data, from, partial, partialLength, n);
        partialLength += n;
    }

    private void emit(byte[] bytes, int from, int n, Sink sink) throws IOException {
        lineNumber++;
        sink.line(lineNumber, bytes, from, n);
    }
}
