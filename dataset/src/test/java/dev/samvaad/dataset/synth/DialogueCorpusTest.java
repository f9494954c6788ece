package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DialogueCorpusTest {
    private static final DialogueCorpus TELUGU = DialogueCorpus.builtIn("te");

    @Test
    void builtInTeluguCorpusHasTheAdvertisedSize() {
        assertThat(TELUGU.language()).isEqualTo("te");
        assertThat(TELUGU.intents()).hasSizeGreaterThanOrEqualTo(60);
        for (Intent intent : TELUGU.intents()) {
            assertThat(intent.questions()).as(intent.id()).hasSizeGreaterThanOrEqualTo(6);
        }
        assertThat(TELUGU.intents().stream().filter(Intent::hasSlots).count()).isGreaterThanOrEqualTo(10);
        Set<String> slotKinds = new HashSet<>();
        TELUGU.intents().forEach(i -> slotKinds.addAll(i.slots().values()));
        assertThat(slotKinds).contains("name", "city", "number");
        List<QaPair> pairs = TELUGU.expand();
        Set<List<String>> distinct = new HashSet<>();
        pairs.forEach(p -> distinct.add(List.of(p.question(), p.answer())));
        assertThat(distinct).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(distinct).as("no duplicate (question, answer) pairs").hasSize(pairs.size());
    }

    @Test
    void everyQuestionMeansOneThingAndIsInTeluguScript() {
        Map<String, String> owner = new HashMap<>();
        Pattern telugu = Pattern.compile(".*\\p{InTelugu}.*");
        for (QaPair p : TELUGU.expand()) {
            String previous = owner.putIfAbsent(p.question(), p.intent());
            assertThat(previous == null || previous.equals(p.intent()))
                    .as("question '%s' belongs to %s and %s", p.question(), previous, p.intent()).isTrue();
            assertThat(p.question()).matches(telugu);
            assertThat(p.answer()).matches(telugu);
        }
        Set<String> answers = new HashSet<>();
        TELUGU.intents().forEach(i -> assertThat(answers.add(i.answer().toString())).as(i.id()).isTrue());
    }

    @Test
    void slotValuesAreCarriedIntoAnswersAndArithmeticIsRight() {
        Pattern minus = Pattern.compile("మైనస్ (\\d+)");
        int arithmetic = 0;
        for (Intent intent : TELUGU.intents().stream().filter(Intent::hasSlots).toList()) {
            for (Map<String, String> values : DialogueCorpus.assignments(intent, TELUGU.slotValues())) {
                QaPair pair = intent.pair(0, values);
                String answerTemplate = intent.answer().toString();
                for (Map.Entry<String, String> v : values.entrySet()) {
                    assertThat(pair.question()).contains(v.getValue());
                    if (answerTemplate.contains("{" + v.getKey() + "}")) {
                        assertThat(pair.answer()).as(intent.id()).contains(v.getValue());
                    }
                }
                Matcher expr = Pattern.compile("\\{(\\w+)\\s*([+*-])\\s*(\\w+)}").matcher(answerTemplate);
                while (expr.find()) {
                    long a = Long.parseLong(values.get(expr.group(1))), b = Long.parseLong(values.get(expr.group(3)));
                    long r = switch (expr.group(2)) {
                        case "+" -> a + b;
                        case "-" -> a - b;
                        default -> a * b;
                    };
                    String spoken = r < 0 ? "మైనస్ " + -r : Long.toString(r);
                    assertThat(pair.answer()).as("%s with %s", intent.id(), values).contains(spoken);
                    assertThat(pair.answer()).doesNotContain("-");
                    arithmetic++;
                }
            }
        }
        assertThat(arithmetic).isGreaterThan(400);
        assertThat(minus.matcher(TELUGU.intent("arith_sub").orElseThrow()
                .pair(0, Map.of("a", "2", "b", "9")).answer()).find()).isTrue();
    }

    @Test
    void userCorpusFileLoadsAndMistakesNameTheFileAndIntent(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("my corpus ✓.json");
        Files.writeString(good, """
                {"format": "samvaad-corpus/1", "language": "hi",
                 "slots": {"city": ["दिल्ली", "पुणे"]},
                 "intents": [
                   {"id": "hello", "questions": ["नमस्ते", "हैलो"], "answer": "नमस्ते!"},
                   {"id": "weather", "slots": {"c": "city"}, "questions": ["{c} में मौसम?"], "answer": "{c} में धूप है"}
                 ]}""");
        DialogueCorpus corpus = DialogueCorpus.load(good);
        assertThat(corpus.language()).isEqualTo("hi");
        assertThat(corpus.expand()).hasSize(2 + 2);
        assertThat(new CorpusResponseSource(corpus).answer("पुणे में मौसम?")).isEqualTo("पुणे में धूप है");

        assertThatThrownBy(() -> parse("{\"format\": \"samvaad-corpus/1\", \"language\": \"x\", \"intents\": ["
                + "{\"id\": \"a\", \"questions\": [\"q {who}\"], \"answer\": \"a\"}]}"))
                .isInstanceOf(CorpusException.class).hasMessageContaining("test.json")
                .hasMessageContaining("intent \"a\"").hasMessageContaining("{who}");
        assertThatThrownBy(() -> parse("{\"format\": \"samvaad-corpus/1\", \"language\": \"x\", \"slots\": {\"n\": [\"1\"]},"
                + "\"intents\": [{\"id\": \"a\", \"slots\": {\"x\": \"n\"}, \"questions\": [\"q {x}\"], \"answer\": \"a\"}]}"))
                .hasMessageContaining("does not carry {x}");
        assertThatThrownBy(() -> parse("{\"format\": \"samvaad-corpus/1\", \"language\": \"x\", \"intents\": ["
                + "{\"id\": \"a\", \"questions\": [\"q\"], \"answer\": \"a\"},"
                + "{\"id\": \"b\", \"questions\": [\"q\"], \"answer\": \"b\"}]}"))
                .hasMessageContaining("appears in both \"a\" and \"b\"");
        assertThatThrownBy(() -> parse("{\"format\": \"other\"}")).hasMessageContaining("samvaad-corpus/1");
        assertThatThrownBy(() -> parse("{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> DialogueCorpus.builtIn("xx")).hasMessageContaining("no built-in corpus for language 'xx'");
        assertThatThrownBy(() -> DialogueCorpus.load(dir.resolve("missing.json"))).hasMessageContaining("missing.json");
    }

    private static DialogueCorpus parse(String json) {
        return DialogueCorpus.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }
}
