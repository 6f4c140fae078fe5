package io.autoflow.gateway.chat;

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
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }
}
