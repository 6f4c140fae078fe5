package io.autoflow.gateway.chat;

import java.nio.charset.StandardCharsets;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Estimates token counts with the cl100k_base BPE (GPT-3.5/4's). Autoflow reports no usage and its LLM
 * is configurable, so the numbers are estimates, labelled so in the README.
 */
public final class TokenCounter {

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        // jtokkit refuses lone surrogates; a round trip through UTF-8 replaces them, as the upstream would.
        return encoding.countTokensOrdinary(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
