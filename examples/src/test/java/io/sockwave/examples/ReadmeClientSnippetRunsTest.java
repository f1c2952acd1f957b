package io.sockwave.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's client ("A client") run as it is written, against the README's echo server: it prints the echo of
 * "hello" before it ends. Compiling it ({@link ReadmeSnippetsTest}) cannot tell a snippet that closes its client
 * before the echo has come back.
 */
class ReadmeClientSnippetRunsTest {
    private static final String README_URI = "localhost:8080";

    @Test
    void theClientPrintsTheEcho(@TempDir Path classes) throws Exception {
        ReadmeSnippetsTest.Snippet snippet = clientSnippet();
        Server server = Server.builder()
                .host("127.0.0.1")
                .port(0)
                .route("/echo", new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        session.sendText(text);
                    }
                })
                .build()
                .start();
        try (server) {
            List<String> lines = snippet.lines().stream()
                    .map(l -> l.replace(README_URI, "127.0.0.1:" + server.port()))
                    .collect(Collectors.toList());
            String printed = run(new ReadmeSnippetsTest.Snippet(snippet.readme(), snippet.line(), lines), classes);
            assertEquals("echo: hello" + System.lineSeparator(), printed,
                    "what the client at " + snippet + " printed against an echo server");
        }
    }

    private static ReadmeSnippetsTest.Snippet clientSnippet() throws Exception {
        List<ReadmeSnippetsTest.Snippet> found = new ArrayList<>();
        for (ReadmeSnippetsTest.Snippet snippet : ReadmeSnippetsTest.snippetsOf("README.md")) {
            String text = String.join("\n", snippet.lines());
            if (text.contains("Client.create()") && text.contains("ws://" + README_URI + "/echo")) {
                found.add(snippet);
            }
        }
        assertEquals(1, found.size(), "README.md's client snippets that connect to ws://" + README_URI + "/echo: "
                + found);
        return found.get(0);
    }

    /** Compiles the snippet as {@link ReadmeSnippetsTest} does, runs it, and returns what it printed. */
    private static String run(ReadmeSnippetsTest.Snippet snippet, Path classes) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path source = Files.createDirectories(classes.resolve("src")).resolve("Snippet.java");
        Files.writeString(source, ReadmeSnippetsTest.wrap(snippet).text());
        String classPath = System.getProperty("java.class.path");
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(source);
            boolean compiled = compiler.getTask(null, files, null,
                    List.of("--release", "17", "-classpath", classPath, "-d", classes.toString(), "-proc:none"),
                    null, units).call();
            assertTrue(compiled, snippet + " does not compile (see ReadmeSnippetsTest)");
        }
        // A loader of its own, class path included: the snippet's class extends the test's package-private Stubs,
        // which it can reach only from the same runtime package, hence the same loader.
        List<URL> urls = new ArrayList<>();
        urls.add(classes.toUri().toURL());
        for (String entry : classPath.split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = loader.loadClass("io.sockwave.examples.Snippet");
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            Method run = type.getDeclaredMethod("run");
            run.setAccessible(true);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                run.invoke(constructor.newInstance());
            } finally {
                System.setOut(out);
            }
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
