package org.bnlab.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each setting of a specification tree came from ({@code experiments/x.yaml, line 12} or {@code --set}), so
 * that an error names the place the user has to change. Paths are dotted specification paths.
 */
public final class Origins {

    private final Map<String, String> byPath = new LinkedHashMap<>();

    public void record(String path, String where) {
        byPath.put(path, where);
    }

    public void addAll(Origins other) {
        byPath.putAll(other.byPath);
    }

    /**
     * The place that set {@code path}, one of its parents or one of its children (the path itself or its nearest parent first, else the child set last); null when the
     * value is a default.
     */
    public String of(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            if (byPath.containsKey(p)) {
                return byPath.get(p);
            }
        }
        if (byPath.containsKey("")) { // the whole tree came from one place (e.g. a config.json)
            return byPath.get("");
        }
        // a child: the one set last (a --set beats the file it overrides)
        String found = null;
        for (Map.Entry<String, String> e : byPath.entrySet()) {
            if (path.isEmpty() || e.getKey().startsWith(path + ".")) {
                found = e.getValue();
            }
        }
        return found;
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }
}
