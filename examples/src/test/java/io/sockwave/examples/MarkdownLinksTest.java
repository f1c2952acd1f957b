package io.sockwave.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of every Markdown file of the repository ({@code [text](path)}, {@code [text](path#anchor)},
 * {@code [text](#anchor)}, images too) names a file that exists and, with an anchor, a heading of that file, so that
 * a reader following the READMEs from a clean clone never lands nowhere. Anchors are made from headings as GitHub
 * makes them. Links with a scheme ({@code https:}, {@code mailto:}) are not fetched.
 */
class MarkdownLinksTest {
    /** An inline link or image: the target, up to an optional title. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern INLINE_LINK_TEXT = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");
    /** What GitHub drops from a heading's text to make its anchor: everything but letters, digits, '-', '_', ' '. */
    private static final Pattern NOT_IN_ANCHOR = Pattern.compile("[^\\p{L}\\p{N}\\p{M}_\\- ]");
    /** Folders that hold build output or installed packages, never documentation. */
    private static final Set<String> SKIPPED = Set.of("target", "node_modules");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        Path root = ReadmeSnippetsTest.repositoryRoot();
        List<Path> markdown = markdownFiles(root);
        assertTrue(markdown.contains(root.resolve("README.md")), "no README.md found under " + root);
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : markdown) {
            List<String> lines = proseLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher link = LINK.matcher(CODE_SPAN.matcher(lines.get(i)).replaceAll(""));
                while (link.find()) {
                    String target = link.group(1);
                    if (SCHEME.matcher(target).find()) {
                        continue;
                    }
                    checked++;
                    String problem = problem(file, target, anchors);
                    if (problem != null) {
                        broken.add(root.relativize(file) + ":" + (i + 1) + ": " + target + ": " + problem);
                    }
                }
            }
        }
        assertTrue(checked > 50, "only " + checked + " relative links found: is the link pattern still right?");
        assertEquals("", String.join("\n", broken), broken.size() + " broken links");
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertEquals("the-command-line-tool-without-the-source-tree",
                anchor("The command-line tool, without the source tree"));
        assertEquals("the-broadcast-against-uwebsocketsjs-december-3-2026",
                anchor("The broadcast against uWebSockets.js (December 3 2026)"));
        assertEquals("sockwave-serve", anchor("`sockwave serve`"));
        assertEquals("rooms-across-nodes---redis", anchor("Rooms across nodes: `--redis`"));
        assertEquals("see-redis", anchor("See [redis](redis/README.md)"));
    }

    /** @return why the link does not resolve, or null if it does */
    private static String problem(Path from, String target, Map<Path, Set<String>> anchors) throws IOException {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (path.startsWith("/")) {
            return "an absolute path, which resolves against the site, not the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (hash < 0) {
            return null;
        }
        if (!file.getFileName().toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        Set<String> known = anchors.get(file);
        if (known == null) {
            known = anchorsOf(file);
            anchors.put(file, known);
        }
        return known.contains(target.substring(hash + 1)) ? null : "no such heading in " + file.getFileName();
    }

    /** @return the anchors of a file's headings, a repeated one numbered as GitHub numbers it ({@code -1}...) */
    private static Set<String> anchorsOf(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseLines(file)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String anchor = anchor(heading.group(1));
                int count = seen.merge(anchor, 1, Integer::sum);
                anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
            }
        }
        return anchors;
    }

    static String anchor(String heading) {
        String text = INLINE_LINK_TEXT.matcher(heading).replaceAll("$1").replace("`", "");
        return NOT_IN_ANCHOR.matcher(text.strip().toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
    }

    /** @return the file's lines with those of fenced code blocks blanked, so that line numbers stay right */
    private static List<String> proseLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            boolean fence = lines.get(i).strip().startsWith("```");
            if (fence || fenced) {
                lines.set(i, "");
            }
            if (fence) {
                fenced = !fenced;
            }
        }
        return lines;
    }

    private static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName().toString();
                return !dir.equals(root) && (SKIPPED.contains(name) || name.startsWith("."))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.getFileName().toString().endsWith(".md")) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }
}
