package io.autoflow.gateway.observability;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks what looks like a secret or a personal address in text that an operator chose to log:
 * bearer tokens, API keys (Autoflow's {@code ta-...}, OpenAI-style {@code sk-...}, {@code key=value}
 * credentials) and e-mail addresses.
 */
public final class Redactor {

    private static final String MASK = "[REDACTED]";
    private final List<Pattern> patterns = List.of(
            Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}"),
            Pattern.compile("\\b(?:ta|sk|pk|rk|ghp|xox[abp])[-_][A-Za-z0-9_-]{16,}\\b"),
            Pattern.compile("(?i)\\b(?:api[_-]?key|access[_-]?token|token|secret|password|passwd)\\b\\s*[:=]\\s*\\S+"),
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"));

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Pattern p : patterns) {
            out = p.matcher(out).replaceAll(MASK);
        }
        return out;
    }
}
