package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.WavReader;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationGeneratorTest {
    private static final DialogueCorpus CORPUS = DialogueCorpus.builtIn("te");

    @TempDir
    Path dir;

    static ConversationGenerator.Settings settings(Path out, int n, long seed, SpeechSynthesizer tts) {
        return new ConversationGenerator.Settings(out, n, seed, 2, CORPUS, new CorpusResponseSource(CORPUS), tts,
                VoiceBank.espeak("te", seed));
    }

    @Test
    void writesThePairLayoutWithMetaForEverySplit() throws IOException {
        Path out = dir.resolve("data");
        GenerationSummary summary = new ConversationGenerator(settings(out, 40, 3, new ToneSynthesizer())).run(null);

        assertThat(summary.generated()).isEqualTo(40);
        assertThat(summary.reused()).isZero();
        assertThat(summary.pairsPerSplit()).containsEntry(Split.TRAIN, 32).containsEntry(Split.VAL, 2)
                .containsEntry(Split.TEST_VOICE, 2).containsEntry(Split.TEST_PARAPHRASE, 2).containsEntry(Split.TEST_SLOT, 2);
        assertThat(summary.audioSeconds()).isPositive();
        ConversationCorpus corpus = ConversationCorpus.open(out);
        assertThat(corpus.problems()).isEmpty();
        assertThat(corpus.pairs()).hasSize(40);
        assertThat(corpus.pairs().get(0).id()).isEqualTo("conv_000001");
        double seconds = 0;
        for (ConversationPair pair : corpus.pairs()) {
            PairMeta meta = pair.meta().orElseThrow();
            assertThat(meta.answer()).isEqualTo(new CorpusResponseSource(CORPUS).answer(meta.question()));
            assertThat(CORPUS.intent(meta.intent())).isPresent();
            meta.slots().values().forEach(v -> assertThat(meta.answer()).contains(v));
            seconds += WavReader.read(pair.userWav()).durationSeconds() + WavReader.read(pair.assistantWav()).durationSeconds();
        }
        assertThat(summary.audioSeconds()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.1));
        assertThat(out.resolve(ConversationGenerator.DATASET_JSON)).exists();
        assertThat(leftovers(out)).isEmpty();
    }

    @Test
    void questionsSpokenWithPausesCarryTheirMarksAndADataSetIsMadeWithOrWithoutThem() throws IOException {
        Path out = dir.resolve("paused");
        ConversationGenerator.Settings base = settings(out, 20, 5, new PausedQuestionTest.LevelsSynthesizer());
        ConversationGenerator.Settings paused = new ConversationGenerator.Settings(out, 20, 5, 2, base.corpus(),
                base.responses(), base.tts(), base.voices(), Pauses.of(1.0));
        new ConversationGenerator(paused).run(null);
        ConversationCorpus corpus = ConversationCorpus.open(out);
        assertThat(corpus.problems()).isEmpty();
        int withPauses = 0;
        for (ConversationPair pair : corpus.pairs()) {
            PairMeta meta = pair.meta().orElseThrow();
            dev.samvaad.dataset.TurnMarks marks = dev.samvaad.dataset.TurnMarks.of(meta).orElseThrow();
            double seconds = WavReader.read(pair.userWav()).durationSeconds();
            assertThat(marks.speechEndSeconds()).isLessThan(seconds - 1.4);
            assertThat(marks.phrases()).hasSize(marks.pauses().size() + 1);
            assertThat(String.join(" ", marks.phrases()).replace(",", "")).isEqualTo(meta.question().replace(",", ""));
            withPauses += marks.pauses().isEmpty() ? 0 : 1;
            // The pair's plan (split, voice, wording) is the one it would have without pauses.
            assertThat(meta.split()).isEqualTo(new ConversationGenerator(base).planner().plan(
                    ((Number) meta.generator().get("index")).intValue()).split());
        }
        assertThat(withPauses).isGreaterThan(10);
        String datasetJson = Files.readString(out.resolve(ConversationGenerator.DATASET_JSON));
        assertThat(datasetJson).contains("\"pauses\"", PausedQuestion.VERSION);
        // The same folder without pauses, or with other pauses, is another data set.
        assertThatThrownBy(() -> new ConversationGenerator(settings(out, 20, 5, new PausedQuestionTest.LevelsSynthesizer()))
                .run(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pauses", "not none");
        ConversationGenerator.Settings other = new ConversationGenerator.Settings(out, 20, 5, 2, base.corpus(),
                base.responses(), base.tts(), base.voices(), Pauses.of(0.5));
        assertThatThrownBy(() -> new ConversationGenerator(other).run(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pauses");
        // And a data set without pauses keeps its dataset.json as it was (no "pauses" in it).
        Path plain = dir.resolve("plain");
        new ConversationGenerator(settings(plain, 5, 5, new ToneSynthesizer())).run(null);
        assertThat(Files.readString(plain.resolve(ConversationGenerator.DATASET_JSON))).doesNotContain("pauses");
    }

    @Test
    void aRepeatedAnswerOfADeterministicEngineIsSpokenOnceAndCopied() throws IOException {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        SpeechSynthesizer counting = new SpeechSynthesizer() {
            final ToneSynthesizer tone = new ToneSynthesizer();

            @Override
            public void synthesize(String text, Voice voice, Path out) {
                calls.incrementAndGet();
                tone.synthesize(text, voice, out);
            }

            @Override
            public String describe() {
                return "tone";
            }

            @Override
            public boolean deterministic() {
                return true;
            }
        };
        Path out = dir.resolve("cached");
        new ConversationGenerator(settings(out, 40, 5, counting)).run(null);
        ConversationCorpus corpus = ConversationCorpus.open(out);
        long answers = corpus.pairs().stream().map(p -> p.meta().orElseThrow().answer()).distinct().count();
        // One call per question, one per distinct answer.
        assertThat(calls.get()).isEqualTo(40 + (int) answers);
        // The copies are the files the engine would have written.
        Path fresh = dir.resolve("fresh.wav");
        ConversationPair last = corpus.pairs().get(39);
        new ToneSynthesizer().synthesize(last.meta().orElseThrow().answer(), VoiceBank.espeak("te", 5).assistant(), fresh);
        assertThat(Files.readAllBytes(last.assistantWav())).isEqualTo(Files.readAllBytes(fresh));
    }

    @Test
    void rerunKeepsCompletePairsAndRedoesBrokenOnes() throws IOException {
        Path out = dir.resolve("data");
        new ConversationGenerator(settings(out, 20, 5, new ToneSynthesizer())).run(null);
        Map<String, String> before = snapshot(out);
        // A pair killed mid-write: meta.json never written, a half-written WAV left behind.
        Files.delete(out.resolve("conv_000004/meta.json"));
        Files.write(out.resolve("conv_000004/assistant.wav"), new byte[] {1, 2, 3});
        // A pair whose meta.json was cut short.
        Files.writeString(out.resolve("conv_000009/meta.json"), "{\"question\": ");

        GenerationSummary again = new ConversationGenerator(settings(out, 20, 5, new ToneSynthesizer())).run(null);

        assertThat(again.generated()).isEqualTo(2);
        assertThat(again.reused()).isEqualTo(18);
        assertThat(snapshot(out)).isEqualTo(before);
    }

    @Test
    void pairsMadeOneAtATimeInAnyOrderAreTheBytesOfARunAndKeptPairsAreRecognised() throws IOException {
        Path reference = dir.resolve("reference");
        new ConversationGenerator(settings(reference, 12, 7, new ToneSynthesizer())).run(null);
        Path single = dir.resolve("single");
        ConversationGenerator one = new ConversationGenerator(settings(single, 12, 7, new ToneSynthesizer()));
        one.prepareOutput();
        List<ConversationGenerator.PairOutcome> outcomes = new ArrayList<>();
        for (int i = 11; i >= 0; i--) {
            outcomes.add(one.makePair(i));
        }

        assertThat(snapshot(single)).isEqualTo(snapshot(reference));
        assertThat(outcomes).allMatch(ConversationGenerator.PairOutcome::generated);
        assertThat(outcomes.get(11).folderName()).isEqualTo("conv_000001").isEqualTo(ConversationGenerator.folderName(0));
        ObjectMapper json = new ObjectMapper();
        PairMeta meta = json.readValue(single.resolve("conv_000004/meta.json").toFile(), PairMeta.class);
        ConversationGenerator.PairOutcome again = one.makePair(3);
        assertThat(again.generated()).isFalse();
        assertThat(one.keptPair(3, meta)).contains(again);
        assertThat(again.split()).isEqualTo(meta.split());
        assertThat(again.audioSeconds()).isPositive();
        // Another pair's meta.json is not this pair's.
        assertThat(one.keptPair(4, meta)).isEmpty();
        assertThatThrownBy(() -> one.makePair(12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pair index 12").hasMessageContaining("12 pairs");
        assertThatThrownBy(() -> ConversationGenerator.folderName(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largerRerunExtendsTheDataSetAndOtherSettingsAreRefused() throws IOException {
        Path out = dir.resolve("data");
        new ConversationGenerator(settings(out, 10, 5, new ToneSynthesizer())).run(null);
        GenerationSummary more = new ConversationGenerator(settings(out, 25, 5, new ToneSynthesizer())).run(null);
        assertThat(more.reused()).isEqualTo(10);
        assertThat(more.generated()).isEqualTo(15);

        assertThatThrownBy(() -> new ConversationGenerator(settings(out, 25, 6, new ToneSynthesizer())).run(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed = 5, not 6");
        Map<String, String> before = snapshot(out);
        String datasetJson = Files.readString(out.resolve(ConversationGenerator.DATASET_JSON));
        assertThatThrownBy(() -> new ConversationGenerator(settings(out, 12, 5, new ToneSynthesizer())).run(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds a data set of 25 pairs")
                .hasMessageContaining("pairs 13-25");
        assertThat(Files.readString(out.resolve(ConversationGenerator.DATASET_JSON))).isEqualTo(datasetJson);
        assertThat(snapshot(out)).isEqualTo(before);
    }

    @Test
    void aDataSetWrittenWithTheSnakeCaseKeysOfEarlierBuildsIsReadExtendedAndRewrittenInCamelCase() throws IOException {
        Path out = dir.resolve("data");
        GenerationSummary first = new ConversationGenerator(settings(out, 10, 5, new ToneSynthesizer())).run(null);
        ObjectMapper json = new ObjectMapper();
        Path datasetJson = out.resolve(ConversationGenerator.DATASET_JSON);
        Map<String, Object> written = readMap(json, datasetJson);
        assertThat(written.keySet()).contains("numPairs", "userVoices", "assistantVoice", "heldOutVoices")
                .noneMatch(key -> key.contains("_"));
        // The spelling of earlier builds: dataset.json and every meta.json's generator.
        writeSnakeCase(json, datasetJson, written);
        for (ConversationPair pair : ConversationCorpus.open(out).pairs()) {
            Path metaJson = pair.userWav().resolveSibling(ConversationPair.META_JSON);
            Map<String, Object> meta = readMap(json, metaJson);
            @SuppressWarnings("unchecked")
            Map<String, Object> generator = (Map<String, Object>) meta.get("generator");
            assertThat(generator).containsKeys("userSeconds", "assistantSeconds", "assistantVoice");
            Map<String, Object> old = new java.util.LinkedHashMap<>();
            generator.forEach((k, v) -> old.put(dev.samvaad.io.JsonKeys.snakeCase(k), v));
            meta.put("generator", old);
            Files.write(metaJson, json.writeValueAsBytes(meta));
        }
        assertThat(Files.readString(datasetJson)).contains("\"num_pairs\"");

        PairMeta read = ConversationCorpus.open(out).pairs().get(0).meta().orElseThrow();
        assertThat(read.generator()).containsKeys("userSeconds", "assistantSeconds").doesNotContainKey("user_seconds");
        assertThatThrownBy(() -> new ConversationGenerator(settings(out, 8, 5, new ToneSynthesizer())).run(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds a data set of 10 pairs");
        GenerationSummary more = new ConversationGenerator(settings(out, 15, 5, new ToneSynthesizer())).run(null);

        assertThat(more.reused()).isEqualTo(10);
        assertThat(more.generated()).isEqualTo(5);
        assertThat(more.audioSeconds()).as("the reused pairs' seconds, read from user_seconds").isGreaterThan(
                first.audioSeconds());
        Map<String, Object> rewritten = readMap(json, datasetJson);
        assertThat(rewritten).containsEntry("numPairs", 15).containsEntry("userVoices", written.get("userVoices"));
        assertThat(rewritten.keySet()).noneMatch(key -> key.contains("_"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(ObjectMapper json, Path file) throws IOException {
        return json.readValue(file.toFile(), java.util.LinkedHashMap.class);
    }

    private static void writeSnakeCase(ObjectMapper json, Path file, Map<String, Object> map) throws IOException {
        Map<String, Object> old = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> old.put(dev.samvaad.io.JsonKeys.snakeCase(k), v));
        Files.write(file, json.writeValueAsBytes(old));
    }

    /**
     * Kills the generator with SIGKILL at seeded random points, {@code samvaad.test.kills} times
     * (5 by default; RELIABILITY.md records a longer run), resuming it each time. After every kill
     * each pair that looks complete must equal the uninterrupted run's; at the end the whole data
     * set must, with no leftover temporary file.
     */
    @Test
    void killedWithSigkillAtRandomPointsAndResumedEqualsAnUninterruptedRun() throws Exception {
        int kills = Integer.getInteger("samvaad.test.kills", 5);
        int n = 40 + 25 * kills;
        Path reference = dir.resolve("reference");
        new ConversationGenerator(settings(reference, n, 11, new ToneSynthesizer())).run(null);
        Map<String, String> expected = snapshot(reference);

        Path killed = dir.resolve("killed");
        java.util.Random random = new java.util.Random(0x5EED_0F_C1L);
        int survived = 0;
        for (int round = 0; round < kills; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), GeneratorChild.class.getName(),
                    killed.toString(), Integer.toString(n), "11")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + round + ".log").toFile()).start();
            // A random number of new pairs, then a random few milliseconds more, so the kill lands
            // anywhere: inside a TTS call, a WAV rename, a meta.json write, between pairs.
            long target = completePairs(killed) + 1 + random.nextInt(20);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completePairs(killed) < target && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(40));
            boolean wasAlive = child.isAlive();
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, files left as they are
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            survived += wasAlive ? 1 : 0;
            // Nothing already written is damaged: every complete pair is the reference's.
            Map<String, String> now = snapshot(killed);
            for (Path folder : completeFolders(killed)) {
                for (String file : List.of("user.wav", "assistant.wav", "meta.json")) {
                    String rel = killed.relativize(folder.resolve(file)).toString();
                    assertThat(now.get(rel)).as("round %d: %s", round, rel).isEqualTo(expected.get(rel));
                }
            }
        }
        long partial = completePairs(killed);
        assertThat(survived).as("kills that hit a running generator").isEqualTo(kills);
        assertThat(partial).as("killed before finishing").isLessThan(n);

        GenerationSummary resumed = new ConversationGenerator(settings(killed, n, 11, new ToneSynthesizer())).run(null);

        assertThat(resumed.reused() + resumed.generated()).isEqualTo(n);
        assertThat(resumed.reused()).isGreaterThanOrEqualTo((int) Math.min(partial, n));
        assertThat(snapshot(killed)).isEqualTo(expected);
        assertThat(leftovers(killed)).isEmpty();
    }

    @Test
    void questionFileAnsweredByAResponseSource() throws IOException {
        Path questions = dir.resolve("questions.txt");
        Files.writeString(questions, "# my questions\nఈ రోజు ఏం చేద్దాం?\n\nమీకు పాటలు ఇష్టమా?\nఈ రోజు ఏం చేద్దాం?\n");
        DialogueCorpus corpus = DialogueCorpus.loadQuestions(questions, "te");
        assertThat(corpus.intents()).hasSize(2);
        ResponseSource echo = new ResponseSource() {
            @Override
            public String answer(String question) {
                return "జవాబు: " + question;
            }

            @Override
            public String describe() {
                return "echo";
            }
        };
        Path out = dir.resolve("data");
        new ConversationGenerator(new ConversationGenerator.Settings(out, 20, 1, 2, corpus, echo, new ToneSynthesizer(),
                VoiceBank.espeak("te", 1))).run(null);
        ConversationCorpus written = ConversationCorpus.open(out);
        assertThat(written.pairs()).hasSize(20);
        for (ConversationPair pair : written.pairs()) {
            PairMeta meta = pair.meta().orElseThrow();
            assertThat(meta.answer()).isEqualTo("జవాబు: " + meta.question());
            assertThat(meta.generator()).doesNotContainKey("corpusAnswer").containsEntry("responses", "echo");
            assertThat(meta.split()).isIn(Split.TRAIN, Split.VAL, Split.TEST_VOICE);
        }
        assertThatThrownBy(() -> new CorpusResponseSource(corpus).answer("మీకు పాటలు ఇష్టమా?"))
                .isInstanceOf(ResponseSourceException.class).hasMessageContaining("--llm-url");
        assertThatThrownBy(() -> DialogueCorpus.ofQuestions(List.of("నా పేరు {name}"), "te", "q.txt"))
                .hasMessageContaining("q.txt").hasMessageContaining("placeholders");
    }

    @Test
    void realEspeakNgMakesSpeechForEveryPair() throws IOException {
        assumeTrue(EspeakSynthesizerTest.espeakInstalled(), "espeak-ng not installed (apt-get install espeak-ng)");
        Path out = dir.resolve("espeak");
        GenerationSummary summary = new ConversationGenerator(settings(out, 20, 2, new EspeakSynthesizer())).run(null);
        assertThat(summary.generated()).isEqualTo(20);
        for (ConversationPair pair : ConversationCorpus.open(out).pairs()) {
            var user = WavReader.read(pair.userWav());
            assertThat(user.sampleRate()).isEqualTo(22050);
            assertThat(user.durationSeconds()).isBetween(0.3, 15.0);
            assertThat(rms(user.toMono())).isGreaterThan(0.01);
            assertThat(WavReader.read(pair.assistantWav()).durationSeconds()).isBetween(0.5, 20.0);
        }
    }

    private static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / x.length);
    }

    /** Every pair file by relative path: meta.json as parsed JSON (key order cannot matter), audio as a digest. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString();
                if (rel.equals(ConversationGenerator.DATASET_JSON)) {
                    continue;
                }
                out.put(rel, rel.endsWith(".json") ? json.readTree(f.toFile()).toString() : sha256(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long completePairs(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.exists(d.resolve("meta.json"))).count();
        }
    }

    private static List<Path> completeFolders(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.exists(d.resolve("meta.json"))).toList();
        }
    }

    private static List<Path> leftovers(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.getFileName().toString().startsWith(".")).forEach(out::add);
        }
        return out;
    }
}
