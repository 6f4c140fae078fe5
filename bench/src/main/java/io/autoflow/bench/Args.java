package io.autoflow.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code --name value} command-line options; a name may repeat (e.g. {@code --header}). */
final class Args {

    private final Map<String, List<String>> values = new HashMap<>();

    /** Parses {@code args}, refusing names not in {@code known} so a typo never silently uses a default. */
    Args(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option " + name + "; known: " + known);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            values.computeIfAbsent(name.substring(2), k -> new ArrayList<>()).add(args[i + 1]);
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String str(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    String required(String name) {
        String v = str(name, null);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name, int fallback) {
        String v = str(name, null);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Splits {@code 'Name: value'} options; names compare case-insensitively, as HTTP's do. */
    Map<String, String> headers() {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String h : all("header")) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header must look like 'Name: value', got " + h);
            }
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        return headers;
    }
}
