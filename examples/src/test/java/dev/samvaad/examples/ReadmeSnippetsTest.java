package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * README's "Use it in your project" quotes code that is compiled and run: the snippets of the
 * consumer ITs ({@code src/it/consumer}, and {@code src/it/runtime-consumer} for the answer, which
 * depends on {@code s2s-runtime} alone; built against the installed artifacts by
 * maven-invoker-plugin) must appear in README verbatim, and the Maven coordinates README gives
 * must carry this build's version.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SNIPPETS = Path.of("src", "it", "consumer", "src", "main", "java", "com", "example",
            "consumer", "Snippets.java");
    private static final Path RUNTIME_SNIPPETS = Path.of("src", "it", "runtime-consumer", "src", "main", "java", "com",
            "example", "runtime", "Snippets.java");

    @ParameterizedTest
    @ValueSource(strings = {"encode", "decode", "answer", "train", "listen"})
    void readmeQuotesTheConsumerSnippet(String tag) throws IOException {
        String snippet = snippet(Files.readString(tag.equals("answer") ? RUNTIME_SNIPPETS : SNIPPETS), tag);
        assertThat(snippet.lines().count()).isBetween(3L, 7L);
        assertThat(Files.readString(README)).contains("```java\n" + snippet + "```\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"codec-core", "dataset", "s2s-runtime", "s2s-model", "training"})
    void readmeGivesTheCoordinatesOfEveryLibrary(String artifact) throws IOException {
        assertThat(Files.readString(README)).contains("<dependency>\n  <groupId>dev.samvaad</groupId>\n  <artifactId>"
                + artifact + "</artifactId>\n  <version>" + version() + "</version>\n</dependency>");
    }

    /** The lines between {@code // tag::name[]} and {@code // end::name[]}, without their common indent. */
    static String snippet(String source, String tag) {
        Matcher m = Pattern.compile("(?s)// tag::" + tag + "\\[]\\R(.*?)\\R\\s*// end::" + tag + "\\[]").matcher(source);
        assertThat(m.find()).as("snippet %s", tag).isTrue();
        List<String> lines = new ArrayList<>(m.group(1).lines().toList());
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    /** This build's version, from the parent POM. */
    private static String version() throws IOException {
        Matcher m = Pattern.compile("<artifactId>samvaad-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
