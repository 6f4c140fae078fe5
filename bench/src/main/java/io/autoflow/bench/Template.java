package io.autoflow.bench;

import java.util.regex.Pattern;

import io.vertx.core.buffer.Buffer;

/**
 * A body with one value (the chat id) at several places. The fixed parts are encoded once, so a
 * response costs one small copy per part instead of JSON encoding.
 */
final class Template {

    private final Buffer[] parts;
    private final int fixedLength;

    private Template(Buffer[] parts) {
        this.parts = parts;
        int length = 0;
        for (Buffer p : parts) {
            length += p.length();
        }
        this.fixedLength = length;
    }

    /** Splits {@code text} at every occurrence of {@code placeholder}. */
    static Template of(String text, String placeholder) {
        String[] pieces = text.split(Pattern.quote(placeholder), -1);
        Buffer[] parts = new Buffer[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            parts[i] = Buffer.buffer(pieces[i]);
        }
        return new Template(parts);
    }

    /** The body with {@code value} (ASCII, e.g. a UUID) put in every placeholder. */
    Buffer render(String value) {
        Buffer out = Buffer.buffer(fixedLength + value.length() * (parts.length - 1));
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.appendString(value);
            }
            out.appendBuffer(parts[i]);
        }
        return out;
    }

    int placeholders() {
        return parts.length - 1;
    }
}
