package io.sockwave.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What is published matches what the BOM and the licence promise: the BOM pins exactly the modules that are
 * deployed, at the reactor's version, every published POM inherits the licence from the parent, and every published
 * jar carries it.
 */
class ReleaseLayoutTest {
    private static final Path ROOT = Path.of(System.getProperty("sockwave.repo", "..")).toAbsolutePath().normalize();

    @Test
    void bomPinsEveryPublishedModuleAndNothingElse() throws Exception {
        Set<String> published = new TreeSet<>();
        for (Path pom : modulePoms()) {
            Document module = parse(pom);
            if (!"pom".equals(text(module, "packaging")) && !unpublished(module)) {
                published.add(text(module, "artifactId"));
            }
        }
        Set<String> pinned = new TreeSet<>();
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        for (Element dependency : elements(bom, "dependency")) {
            assertEquals("io.sockwave", child(dependency, "groupId"));
            assertEquals("${project.version}", child(dependency, "version"));
            pinned.add(child(dependency, "artifactId"));
        }
        assertEquals(published, pinned, "bom/pom.xml must list exactly the published modules: add a new module "
                + "there, or set <sockwave.unpublished>true</sockwave.unpublished> in its POM");
    }

    @Test
    void bomVersionMovesWithTheReactor() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        assertEquals(text(root, "version"), text(bom, "version"),
                "set versions with mvn versions:set -DprocessAllModules, which moves the BOM too");
    }

    @Test
    void everyPublishedPomCarriesTheLicenceThroughItsParent() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        assertEquals("Apache-2.0", child(elements(root, "license").get(0), "name"));
        assertTrue(Files.readString(ROOT.resolve("LICENSE")).contains("Apache License\n"
                + "                           Version 2.0, January 2004"));
        for (Path pom : modulePoms()) {
            Document module = parse(pom);
            assertTrue(elements(module, "license").isEmpty(), pom + " overrides the parent's licence");
            assertEquals("sockwave-parent", child(elements(module, "parent").get(0), "artifactId"), pom.toString());
        }
        assertEquals("Apache-2.0", child(elements(parse(ROOT.resolve("bom/pom.xml")), "license").get(0), "name"));
    }

    @Test
    void everyPublishedJarCarriesTheLicenceAndNotice() throws Exception {
        String licence = Files.readString(ROOT.resolve("LICENSE"));
        String notice = Files.readString(ROOT.resolve("NOTICE"));
        Set<String> checked = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.getFileName().toString();
            boolean sockwaveJar = name.startsWith("sockwave") && name.endsWith(".jar");
            boolean reactorClasses = path.toAbsolutePath().startsWith(ROOT) && name.equals("classes");
            if (!sockwaveJar && !reactorClasses || entry.contains("test-support")) {
                continue;
            }
            try (FileSystem files = sockwaveJar ? FileSystems.newFileSystem(path) : null) {
                Path root = files == null ? path : files.getPath("/");
                assertEquals(licence, Files.readString(root.resolve("META-INF/LICENSE")), entry);
                assertEquals(notice, Files.readString(root.resolve("META-INF/NOTICE")), entry);
            }
            checked.add(entry);
        }
        // sockwave and sockwave-cli are this module's dependencies, and with them sockwave-protocol and sockwave-redis
        assertTrue(checked.size() >= 4, "the published jars on the class path: " + checked);
    }

    /** The POMs of the root's modules other than the BOM, which has no parent on purpose. */
    private static List<Path> modulePoms() throws Exception {
        List<Path> poms = new ArrayList<>();
        for (Element module : elements(parse(ROOT.resolve("pom.xml")), "module")) {
            String path = module.getTextContent().strip();
            if (!path.equals("bom")) {
                poms.add(ROOT.resolve(path).resolve("pom.xml"));
            }
        }
        assertTrue(poms.size() >= 3, "modules of " + ROOT + ": " + poms);
        return poms;
    }

    private static boolean unpublished(Document module) {
        return "true".equals(text(module, "sockwave.unpublished")) || "true".equals(text(module, "maven.deploy.skip"));
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of the project's own element of that name (a direct child of project or of properties), or null. */
    private static String text(Document pom, String name) {
        Element project = pom.getDocumentElement();
        String direct = child(project, name);
        if (direct != null) {
            return direct;
        }
        List<Element> properties = elements(pom, "properties");
        return properties.isEmpty() ? null : child(properties.get(0), name);
    }

    private static String child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        return null;
    }

    private static List<Element> elements(Document pom, String name) {
        List<Element> found = new ArrayList<>();
        var nodes = pom.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }
}
