package io.sockwave.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sockwave.AttributeKey;
import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Listener;
import io.sockwave.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of the READMEs compiles against the API as it is, so that the first code a user copies
 * does not lie. Each block is wrapped in a compilation unit (see {@link #wrap}) and compiled in memory against the
 * test class path, deprecation warnings included.
 */
class ReadmeSnippetsTest {
    private static final List<String> READMES = List.of("README.md", "redis/README.md");

    /**
     * The imports every snippet gets. Single-type imports settle the names that two of the packages share
     * ({@code io.sockwave.Proxy} and {@code java.net.Proxy}).
     */
    private static final List<String> IMPORTS = List.of(
            "io.sockwave.*", "io.sockwave.room.*", "io.sockwave.redis.*", "io.sockwave.protocol.*",
            "io.sockwave.protocol.extension.*", "io.sockwave.protocol.handshake.*", "java.net.*", "java.nio.*",
            "java.security.*", "java.security.cert.*", "java.time.*", "java.util.*", "java.util.concurrent.*",
            "javax.net.ssl.*", "org.conscrypt.*", "io.sockwave.Proxy");

    /** The README promises that its examples run on Java 17: each is compiled with {@code --release 17}. */
    private static final int JAVA_BASELINE = 17;

    /**
     * Snippets that need a newer Java than the baseline, keyed by a text they contain: they are compiled for that
     * release on a JDK that has it, and skipped (not passed) on older ones.
     */
    private static final Map<String, Integer> NEEDS_JAVA = Map.of(
            "Executors.newVirtualThreadPerTaskExecutor()", 21);

    /** A declaration of a type at the snippet's top level: the whole snippet is then a member of the unit. */
    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("^((public|final|abstract|static|sealed)\\s+)*(class|record|interface|enum)\\s.*");

    private static final JavaCompiler COMPILER = ToolProvider.getSystemJavaCompiler();
    private static final StandardJavaFileManager FILES =
            COMPILER.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);

    /**
     * What the READMEs' prose assumes exists around a snippet, as fields and types a snippet's class inherits. A
     * snippet's own declarations hide them. Only names some snippet uses are here, typed as the API takes them;
     * {@code User}, {@code RateLimiter} and {@code Tokens} stand for the application's own types.
     */
    abstract static class Stubs {
        protected Client client;
        protected ClientOptions options;
        protected URI uri;
        protected Session session;
        protected Listener listener;
        protected Listener chat;
        protected Listener rooms;
        protected Listener lobby;
        protected Listener files;
        protected Listener anythingElse;
        protected Logger log;
        protected RateLimiter rateLimiter;
        protected Tokens tokens;
        /** As "Routes, parameters and session state" declares it. */
        protected AttributeKey<String> USER;
        protected AttributeKey<String> CLIENT;
        protected SSLContext context;
        protected KeyStore keyStore;
        protected char[] password;
        protected ByteBuffer bytesFromSocket;
        protected SocketChannel socket;

        record User(String name, String session) {}

        interface RateLimiter {
            boolean allow(InetSocketAddress client);
        }

        interface Tokens {
            /** Completes with the token's user, or null for an unknown token. */
            CompletionStage<User> check(String token);
        }
    }

    /** A {@code ```java} block: where it is, by its fence's line, and its lines. */
    record Snippet(String readme, int line, List<String> lines) {
        @Override
        public String toString() {
            return readme + ":" + line;
        }
    }

    static Stream<Snippet> snippets() throws IOException {
        List<Snippet> all = new ArrayList<>();
        for (String readme : READMES) {
            all.addAll(snippetsOf(readme));
        }
        return all.stream();
    }

    @Test
    void everyReadmeHasJavaSnippets() throws IOException {
        for (String readme : READMES) {
            assertFalse(snippetsOf(readme).isEmpty(), readme + " has no ```java block: is the fence still ```java?");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void compiles(Snippet snippet) {
        int release = JAVA_BASELINE;
        for (Map.Entry<String, Integer> needs : NEEDS_JAVA.entrySet()) {
            if (String.join("\n", snippet.lines()).contains(needs.getKey())) {
                release = Math.max(release, needs.getValue());
                assumeTrue(Runtime.version().feature() >= needs.getValue(),
                        snippet + " needs Java " + needs.getValue() + " (" + needs.getKey() + ")");
            }
        }
        Unit unit = wrap(snippet);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return unit.text();
            }
        };
        List<String> options = List.of("--release", String.valueOf(release), "-classpath",
                System.getProperty("java.class.path"), "-proc:none", "-Xlint:deprecation,removal", "-Werror");
        boolean compiled = COMPILER.getTask(null, new InMemoryOutput(FILES), diagnostics, options, null,
                List.of(source)).call();
        if (!compiled) {
            fail(diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                    .map(d -> describe(snippet, unit, d))
                    .collect(Collectors.joining("\n", "the ```java block at " + snippet + " does not compile:\n", "")));
        }
    }

    /** A compilation unit and, for each of its lines, the README line it came from (0 for the wrapping's own). */
    record Unit(String text, int[] readmeLines) {}

    /**
     * Imports in the snippet join the fixed ones. A snippet that declares a type goes in whole as a member of the
     * unit's class; otherwise its top-level lines that start with {@code static} (constants such as an
     * {@code AttributeKey}) go in as members, and the rest is the body of a method that {@code throws Exception}.
     */
    static Unit wrap(Snippet snippet) {
        List<String> text = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        text.add("package io.sockwave.examples;");
        origin.add(0);
        for (String name : IMPORTS) {
            text.add("import " + name + ";");
            origin.add(0);
        }
        List<Integer> members = new ArrayList<>();
        List<Integer> statements = new ArrayList<>();
        boolean declaresType = snippet.lines().stream().anyMatch(l -> TYPE_DECLARATION.matcher(l).matches());
        for (int i = 0; i < snippet.lines().size(); i++) {
            String line = snippet.lines().get(i);
            if (line.startsWith("import ")) {
                text.add(line);
                origin.add(snippet.line() + 1 + i);
            } else if (declaresType || line.startsWith("static ")) {
                members.add(i);
            } else {
                statements.add(i);
            }
        }
        text.add("class Snippet extends ReadmeSnippetsTest.Stubs {");
        origin.add(0);
        for (int i : members) {
            text.add(snippet.lines().get(i));
            origin.add(snippet.line() + 1 + i);
        }
        text.add("void run() throws Exception {");
        origin.add(0);
        for (int i : statements) {
            text.add(snippet.lines().get(i));
            origin.add(snippet.line() + 1 + i);
        }
        text.add("}}");
        origin.add(0);
        return new Unit(String.join("\n", text) + "\n", origin.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String describe(Snippet snippet, Unit unit, Diagnostic<? extends JavaFileObject> d) {
        String where;
        long line = d.getLineNumber();
        if (line < 1 || line > unit.readmeLines().length) {
            where = snippet.toString();
        } else if (unit.readmeLines()[(int) line - 1] == 0) {
            where = snippet + " (in the wrapping: " + unit.text().lines().skip(line - 1).findFirst().orElseThrow() + ")";
        } else {
            int readmeLine = unit.readmeLines()[(int) line - 1];
            where = snippet.readme() + ":" + readmeLine + ": "
                    + snippet.lines().get(readmeLine - snippet.line() - 1).strip();
        }
        String kind = d.getKind() == Diagnostic.Kind.ERROR ? "error" : "warning";
        return "  " + where + "\n    " + kind + ": " + d.getMessage(Locale.ROOT).replace("\n", "\n    ");
    }

    static List<Snippet> snippetsOf(String readme) throws IOException {
        List<String> lines = Files.readAllLines(repositoryRoot().resolve(readme));
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java")) {
                int start = i;
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
                    body.add(lines.get(i));
                }
                assertTrue(i < lines.size(), readme + ":" + (start + 1) + ": the ```java block is never closed");
                snippets.add(new Snippet(readme, start + 1, body));
            }
        }
        return snippets;
    }

    /** The directory of the reactor's pom.xml (the one that lists the modules), above the working directory. */
    static Path repositoryRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<module>examples</module>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml listing the examples module above " + Path.of("").toAbsolutePath());
    }

    /** Keeps the class files in memory: the test checks that snippets compile, not what they compile to. */
    private static final class InMemoryOutput extends ForwardingJavaFileManager<JavaFileManager> {
        InMemoryOutput(JavaFileManager files) {
            super(files);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream();
                }
            };
        }
    }
}
