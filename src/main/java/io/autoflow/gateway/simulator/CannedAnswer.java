package io.autoflow.gateway.simulator;

import io.autoflow.gateway.autoflow.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The simulator's deterministic "LLM": the same question in the same chat position gives the same answer. */
final class CannedAnswer {

    static final List<Source> SOURCES = List.of(
            new Source(8247L, "TiDB Architecture", "https://docs.pingcap.com/tidb/stable/tidb-architecture"),
            new Source(9373L, "TiDB Introduction", "https://docs.pingcap.com/tidb/stable/overview"));

    private static final Pattern TRIGGER = Pattern.compile("\\[sim:[a-z0-9-]+]");
    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+");
    private static final int QUOTED_WORDS = 6;

    private CannedAnswer() {
    }

    /** The question without simulator trigger words and with collapsed whitespace. */
    static String clean(String question) {
        return TRIGGER.matcher(question).replaceAll(" ").trim().replaceAll("\\s+", " ");
    }

    /** The rewritten question of the second REFINE_QUESTION annotation. */
    static String refined(String question) {
        String q = clean(question);
        if (q.isEmpty()) {
            q = "TiDB";
        }
        return q + " What is the root cause in a TiDB cluster, and how can it be fixed?";
    }

    /**
     * @param earlierMessages messages stored in the chat before this question, so a continued
     *                        chat visibly answers with its history
     */
    static String text(String question, int earlierMessages) {
        String[] words = clean(question).split(" ");
        String quoted = words.length == 0 || words[0].isEmpty()
                ? "your question"
                : String.join(" ", List.of(words).subList(0, Math.min(QUOTED_WORDS, words.length)));
        StringBuilder sb = new StringBuilder();
        sb.append("Regarding \"").append(quoted).append("\": the most likely root cause is a write hotspot, ")
                .append("where a few TiKV Regions take most writes and saturate one store while the rest of ")
                .append("the TiDB cluster stays idle[^1]. ")
                .append("Check the Key Visualizer and the TiKV scheduler metrics, then split or scatter the ")
                .append("hot Regions and use AUTO_RANDOM or SHARD_ROW_ID_BITS to spread new writes[^2]. ")
                .append("If latency stays high, review the slow query log and refresh table statistics.");
        if (earlierMessages > 0) {
            sb.append(" This answer takes the ").append(earlierMessages)
                    .append(" earlier messages of this chat into account.");
        }
        sb.append("\n\n[^1]: [").append(SOURCES.get(0).name()).append("](").append(SOURCES.get(0).sourceUri())
                .append(")\n[^2]: [").append(SOURCES.get(1).name()).append("](").append(SOURCES.get(1).sourceUri())
                .append(")");
        return sb.toString();
    }

    /** Word-sized tokens, each with its leading whitespace; they concatenate back to the text. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
