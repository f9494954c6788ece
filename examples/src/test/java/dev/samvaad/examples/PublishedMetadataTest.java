package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What Maven Central and a Java user expect of the published artifacts, read from the POMs: the
 * licence (and the full Apache-2.0 text in {@code LICENSE}), url, scm and developers in the parent
 * (inherited by every module, without the artifactId appended), a BOM listing the five libraries,
 * and an {@code Automatic-Module-Name} for each library jar. The consumer IT
 * ({@code src/it/consumer}) checks the built jars' manifests and imports the BOM.
 */
class PublishedMetadataTest {
    private static final Path ROOT = Path.of("..");
    private static final String URL = "https://github.com/samvaad/samvaad";
    private static final List<String> LIBRARIES = List.of("codec-core", "dataset", "s2s-runtime", "s2s-model", "training");
    /** SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt. */
    private static final String APACHE_2_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";

    @Test
    void licenseIsTheFullApacheTwoText() throws Exception {
        byte[] text = Files.readAllBytes(ROOT.resolve("LICENSE"));
        assertThat(new String(text, java.nio.charset.StandardCharsets.UTF_8))
                .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text))).isEqualTo(APACHE_2_SHA256);
    }

    @Test
    void parentCarriesWhatCentralAsksForAndModulesInheritItUnchanged() throws Exception {
        Element pom = pom(ROOT.resolve("pom.xml"));
        assertThat(text(pom, "name")).isNotBlank();
        assertThat(text(pom, "description")).isNotBlank();
        assertThat(text(pom, "url")).isEqualTo(URL);
        assertThat(pom.getAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
        assertLicenceDevelopersAndScm(pom);
        Element scm = child(pom, "scm");
        for (String attribute : List.of("connection", "developerConnection", "url")) {
            assertThat(scm.getAttribute("child.scm." + attribute + ".inherit.append.path")).as(attribute).isEqualTo("false");
        }
    }

    @Test
    void theBomListsEveryLibraryAtThisVersionAndIsInTheReactor() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        Element bom = pom(ROOT.resolve("bom").resolve("pom.xml"));
        assertThat(children(child(parent, "modules"), "module")).extracting(Node::getTextContent).contains("bom");
        // No parent: importing the BOM must pin the Samvaad libraries and nothing else.
        assertThat(child(bom, "parent")).isNull();
        assertThat(text(bom, "groupId")).isEqualTo(text(parent, "groupId"));
        assertThat(text(bom, "artifactId")).isEqualTo("samvaad-bom");
        assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
        assertThat(text(bom, "packaging")).isEqualTo("pom");
        assertThat(text(bom, "name")).isNotBlank();
        assertThat(text(bom, "description")).isNotBlank();
        assertThat(text(bom, "url")).isEqualTo(URL);
        assertLicenceDevelopersAndScm(bom);
        List<String> managed = new ArrayList<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("dev.samvaad");
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }
        assertThat(managed).containsExactlyElementsOf(LIBRARIES);
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("<artifactId>samvaad-bom</artifactId>\n      <version>"
                + text(parent, "version") + "</version>");
    }

    @ParameterizedTest
    @CsvSource({"codec-core, dev.samvaad.codec", "dataset, dev.samvaad.dataset", "s2s-runtime, dev.samvaad.infer",
        "s2s-model, dev.samvaad.model",
        "training, dev.samvaad.training"})
    void everyLibraryNamesItsAutomaticModuleAfterOneOfItsPackages(String module, String name) throws Exception {
        Element pom = pom(ROOT.resolve(module).resolve("pom.xml"));
        assertThat(text(pom, "name")).isNotBlank();
        assertThat(text(pom, "description")).isNotBlank();
        assertThat(text(child(pom, "properties"), "automatic.module.name")).isEqualTo(name);
        assertThat(ModuleDescriptor.newAutomaticModule(name).build().name()).isEqualTo(name); // a legal module name
        assertThat(ROOT.resolve(module).resolve("src/main/java").resolve(name.replace('.', '/'))).isDirectory();
        // The parent's jar plugin writes the property into the manifest.
        assertThat(Files.readString(ROOT.resolve("pom.xml")))
                .contains("<Automatic-Module-Name>${automatic.module.name}</Automatic-Module-Name>");
    }

    private static void assertLicenceDevelopersAndScm(Element pom) {
        Element licence = child(child(pom, "licenses"), "license");
        assertThat(text(licence, "name")).isEqualTo("Apache-2.0");
        assertThat(text(licence, "url")).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
        Element developer = child(child(pom, "developers"), "developer");
        assertThat(text(developer, "name")).isNotBlank();
        Element scm = child(pom, "scm");
        assertThat(text(scm, "url")).isEqualTo(URL);
        assertThat(text(scm, "connection")).isEqualTo("scm:git:" + URL + ".git");
        assertThat(text(scm, "developerConnection")).startsWith("scm:git:");
    }

    private static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    /** The first child element of that name, or null. */
    private static Element child(Element parent, String name) {
        List<Element> all = children(parent, name);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        assertThat(parent).as("<%s>'s parent", name).isNotNull();
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        assertThat(e).as("<%s> in <%s>", name, parent.getTagName()).isNotNull();
        return e.getTextContent().strip();
    }
}
