package org.bnlab.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No package cycles among the main packages of both modules, counting what an import-only check misses: an edge
 * from package a to package b is an import (static ones included) of b's class, a fully qualified name
 * {@code org.bnlab.b.Y} in code, or one in a Javadoc link ({@code {@link ...}}, {@code {@linkplain ...}},
 * {@code @see}). A parent package and its sub-packages referring to each other (a facade such as
 * {@code org.bnlab.data} and {@code org.bnlab.data.cifar}) are not counted, as {@code shared/tools/package-cycles}.
 */
class PackageCyclesTest {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    /** A qualified class name: the package's lower-case segments, then the class's capitalised one. */
    private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.bnlab((?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)?\\s+([^}\\s]+)|@see\\s+(\\S+)");

    @Test
    void theMainPackagesHaveNoCycle() throws IOException {
        Path root = repositoryRoot();
        Map<String, String> sources = new TreeMap<>();
        for (String module : List.of("experiments", "datasets")) {
            Path main = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> {
                    try {
                        sources.put(root.relativize(p).toString(), Files.readString(p));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        assertTrue(sources.size() > 100, "found only " + sources.size() + " source files under " + root);
        List<String> cycles = cycles(sources);
        assertTrue(cycles.isEmpty(), "package cycles:\n" + String.join("\n", cycles));
    }

    @Test
    void aCycleThroughAFullyQualifiedNameInCodeOrAJavadocLinkIsFound() {
        Map<String, String> planted = new LinkedHashMap<>();
        planted.put("A.java", "package org.bnlab.a;\nimport org.bnlab.b.B;\nclass A { B b; }\n");
        planted.put("B.java", "package org.bnlab.b;\nclass B { Object o = new org.bnlab.a.A(); }\n");
        planted.put("C.java", "package org.bnlab.c;\nimport static org.bnlab.d.D.helper;\nclass C {}\n");
        planted.put("D.java", "package org.bnlab.d;\n/** Made by {@link org.bnlab.c.C}. */\nclass D {}\n");
        List<String> cycles = cycles(planted);
        assertEquals(2, cycles.size(), String.join("\n", cycles));
        assertTrue(cycles.get(0).startsWith("org.bnlab.a -> org.bnlab.b -> org.bnlab.a"), cycles.get(0));
        assertTrue(cycles.get(0).contains("B.java: org.bnlab.a.A"), cycles.get(0));
        assertTrue(cycles.get(1).startsWith("org.bnlab.c -> org.bnlab.d -> org.bnlab.c"), cycles.get(1));
    }

    @Test
    void aMentionInAPlainCommentOrAFacadeIsNotACycle() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("A.java", "package org.bnlab.a;\nimport org.bnlab.b.B;\nclass A {}\n");
        sources.put("B.java", "package org.bnlab.b;\n// unlike org.bnlab.a.A\n/** See {@code org.bnlab.a.A}. */\nclass B {}\n");
        sources.put("P.java", "package org.bnlab.p;\nimport org.bnlab.p.q.Q;\nclass P {}\n");
        sources.put("Q.java", "package org.bnlab.p.q;\nimport org.bnlab.p.P;\nclass Q {}\n");
        assertEquals(List.of(), cycles(sources));
    }

    /**
     * The package cycles of {@code sources} (file name to text), each as {@code a -> b -> a} followed by, for each
     * edge, the file and the name that makes it; facades (a parent package and its sub-packages only) are left out.
     */
    static List<String> cycles(Map<String, String> sources) {
        Map<String, Map<String, String>> edges = new TreeMap<>(); // package -> package -> "file: name"
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Matcher own = PACKAGE.matcher(source.getValue());
            if (!own.find() || !own.group(1).startsWith("org.bnlab")) {
                continue;
            }
            String from = own.group(1);
            Map<String, String> out = edges.computeIfAbsent(from, k -> new TreeMap<>());
            for (String name : references(source.getValue())) {
                Matcher q = QUALIFIED.matcher(name);
                if (q.find()) {
                    String to = "org.bnlab" + q.group(1);
                    if (!to.equals(from)) {
                        out.putIfAbsent(to, source.getKey() + ": " + q.group());
                    }
                }
            }
        }
        List<String> found = new ArrayList<>();
        for (Set<String> component : stronglyConnected(edges)) {
            String first = component.iterator().next();
            if (component.size() < 2 || component.stream().allMatch(p -> p.equals(first) || p.startsWith(first + "."))) {
                continue;
            }
            found.add(describe(cycleThrough(first, component, edges), edges));
        }
        return found;
    }

    /** Qualified names in code (imports included) and in Javadoc links, not in other comments. */
    private static List<String> references(String text) {
        List<String> names = new ArrayList<>();
        Matcher comment = COMMENT.matcher(text);
        StringBuilder code = new StringBuilder();
        int at = 0;
        while (comment.find()) {
            code.append(text, at, comment.start()).append(' ');
            Matcher link = LINK.matcher(comment.group());
            while (link.find()) {
                names.add(link.group(1) != null ? link.group(1) : link.group(2));
            }
            at = comment.end();
        }
        code.append(text.substring(at));
        Matcher q = QUALIFIED.matcher(code);
        while (q.find()) {
            names.add(q.group());
        }
        return names;
    }

    /** Tarjan's strongly connected components, each sorted. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, edges, index, low, stack, onStack, components);
            }
        }
        components.sort((a, b) -> a.iterator().next().compareTo(b.iterator().next()));
        return components;
    }

    private static void connect(String v, Map<String, Map<String, String>> edges, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!edges.containsKey(w)) {
                continue; // a name outside the sources (e.g. a typo in a comment's link) is no package here
            }
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }

    /** A shortest cycle from {@code start} back to it within {@code component}: start, ..., start. */
    private static List<String> cycleThrough(String start, Set<String> component,
                                             Map<String, Map<String, String>> edges) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
                if (w.equals(start)) {
                    List<String> path = new ArrayList<>();
                    for (String u = v; u != null; u = parent.get(u)) {
                        path.add(0, u); // parent.get(start) is null: the walk ends at start
                    }
                    path.add(start);
                    return path;
                }
                if (component.contains(w) && !parent.containsKey(w) && !w.equals(start)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start);
    }

    private static String describe(List<String> cycle, Map<String, Map<String, String>> edges) {
        StringBuilder text = new StringBuilder(String.join(" -> ", cycle));
        for (int i = 0; i + 1 < cycle.size(); i++) {
            text.append("\n    ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1)).append(": ")
                    .append(edges.get(cycle.get(i)).get(cycle.get(i + 1)));
        }
        return text.toString();
    }

    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("experiments/src/main/java"))
                    && Files.isDirectory(p.resolve("datasets/src/main/java"))) {
                return p;
            }
        }
        throw new IllegalStateException("no checkout with experiments/ and datasets/ above " + Path.of("").toAbsolutePath());
    }
}
