package dev.samvaad.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.synth.ChatCompletionsResponseSource;
import dev.samvaad.dataset.synth.CommandSynthesizer;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.CorpusResponseSource;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.EspeakSynthesizer;
import dev.samvaad.dataset.synth.GenerationRecipe;
import dev.samvaad.dataset.synth.GenerationSummary;
import dev.samvaad.dataset.synth.Voice;
import dev.samvaad.dataset.synth.VoiceBank;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generation job on Spark in this JVM ({@code local[2]}) against the single-machine generator. */
class GenerateJobTest {
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        assumeTrue(Trees.espeakInstalled(), "espeak-ng is not installed: the generation job's tests are skipped");
        sc = Trees.localSpark("GenerateJobTest");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.close();
        }
    }

    /** What {@code generate-data --num_pairs n --seed seed --workers 2} runs, with its defaults. */
    private static ConversationGenerator.Settings generateData(Path out, int n, long seed) {
        DialogueCorpus corpus = DialogueCorpus.builtIn("te");
        return new ConversationGenerator.Settings(out, n, seed, 2, corpus, new CorpusResponseSource(corpus),
                new EspeakSynthesizer(), VoiceBank.espeak("te", seed));
    }

    @Test
    void makesTheBytesOfTheSingleMachineGeneratorKeepsThemOnARerunAndRedoesAHalfWrittenPair() throws IOException {
        Path reference = dir.resolve("reference");
        GenerationSummary single = new ConversationGenerator(generateData(reference, 14, 5)).run(null);
        Path out = dir.resolve("spark");

        GenerateJob.Result first = GenerateJob.run(sc, GenerateJob.Options.of(out.toUri().toString(), 14, 5)
                .withPartitions(3));

        assertThat(Trees.files(out)).isEqualTo(Trees.files(reference)).containsKey("dataset.json")
                .containsKey("conv_000014/meta.json").hasSize(1 + 3 * 14);
        assertThat(first.complete()).isTrue();
        assertThat(first.summary().generated()).isEqualTo(14);
        assertThat(first.summary().reused()).isZero();
        assertThat(first.summary().pairsPerSplit()).isEqualTo(single.pairsPerSplit());
        assertThat(first.summary().audioSeconds()).isCloseTo(single.audioSeconds(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(first.describe()).contains("14 generated", "failed: 0");

        // A task that died mid-pair: the WAVs half there, no meta.json; a stray temporary file.
        Path pair = out.resolve("conv_000004");
        Files.delete(pair.resolve("meta.json"));
        Files.write(pair.resolve("user.wav"), new byte[] {1, 2, 3});
        Files.write(pair.resolve(".assistant.wav.1234.tmp"), new byte[] {4});

        GenerateJob.Result again = GenerateJob.run(sc, GenerateJob.Options.of(out.toString(), 14, 5));

        assertThat(again.summary().generated()).isEqualTo(1);
        assertThat(again.summary().reused()).isEqualTo(13);
        assertThat(Trees.files(out)).isEqualTo(Trees.files(reference));
    }

    @Test
    void aFileSystemOtherThanTheLocalOneGetsTheSameBytesThroughHadoopsOwnWrites() throws IOException {
        Path reference = dir.resolve("reference");
        new ConversationGenerator(generateData(reference, 4, 8)).run(null);
        Path out = dir.resolve("other");
        sc.hadoopConfiguration().set("fs." + OtherSchemeFileSystem.SCHEME + ".impl", OtherSchemeFileSystem.class.getName());
        sc.hadoopConfiguration().setBoolean("fs." + OtherSchemeFileSystem.SCHEME + ".impl.disable.cache", true);
        try {
            GenerateJob.Result result = GenerateJob.run(sc, GenerateJob.Options.of(OtherSchemeFileSystem.SCHEME + "://"
                    + out.toAbsolutePath(), 4, 8));
            assertThat(result.summary().generated()).isEqualTo(4);
        } finally {
            sc.hadoopConfiguration().unset("fs." + OtherSchemeFileSystem.SCHEME + ".impl");
        }
        assertThat(Trees.files(out)).isEqualTo(Trees.files(reference));
    }

    @Test
    void questionsAnsweredByAnLlmServerReachTheExecutorsAndGiveTheSingleMachineBytes() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                byte[] body = ("{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":"
                        + "\"assistant\",\"content\":\"సరే, చెబుతాను.\"}}]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            List<String> lines = List.of("# questions for the test", "మీ పేరు ఏమిటి?", "ఈ రోజు వాతావరణం ఎలా ఉంది?",
                    "మీరు ఎక్కడ ఉంటారు?");
            Path reference = dir.resolve("reference");
            DialogueCorpus corpus = DialogueCorpus.ofQuestions(lines.subList(1, lines.size()), "te", "questions.txt");
            new ConversationGenerator(new ConversationGenerator.Settings(reference, 5, 3, 2, corpus,
                    new ChatCompletionsResponseSource(ChatCompletionsResponseSource.Options.builder().baseUrl(url)
                            .model("test-model").seed(3L).build()),
                    new EspeakSynthesizer(), VoiceBank.espeak("te", 3))).run(null);
            int asked = requests.get();
            Path out = dir.resolve("spark");

            GenerateJob.Result result = GenerateJob.run(sc, GenerateJob.Options.of(out.toString(), 5, 3)
                    .withRecipe(GenerationRecipe.builtIn("te").withQuestions(lines, "questions.txt")
                            .withLlm(java.net.URI.create(url), "test-model")));

            assertThat(result.complete()).isTrue();
            assertThat(asked).isPositive();
            assertThat(requests.get()).isGreaterThanOrEqualTo(2 * asked);
            assertThat(Trees.files(out)).isEqualTo(Trees.files(reference));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aTtsFailureIsReportedWithThePairIndexAndLosesNoOtherPairAndARerunFinishesTheDataSet() throws IOException {
        // An external TTS (espeak-ng behind a script) that refuses any text holding the words in a file.
        Path refuse = dir.resolve("refuse.txt");
        Path script = dir.resolve("tts.sh");
        Files.writeString(script, """
                #!/bin/sh
                text=$(cat)
                if [ -s "$5" ] && printf '%s' "$text" | grep -qF -f "$5"; then echo "voice engine refused" >&2; exit 3; fi
                printf '%s' "$text" | exec espeak-ng -v "$2" -s "$3" -p "$4" -b 1 --stdin -w "$1"
                """);
        String command = "sh " + script + " {out} {voice} {rate} {pitch} " + refuse;
        List<String> users = List.of("te", "te+m3", "te+f2", "te+f4");
        Path reference = dir.resolve("reference");
        DialogueCorpus corpus = DialogueCorpus.builtIn("te");
        new ConversationGenerator(new ConversationGenerator.Settings(reference, 10, 9, 2, corpus,
                new CorpusResponseSource(corpus), new CommandSynthesizer(command),
                VoiceBank.withHoldOut(users, VoiceBank.DEFAULT_RATES, VoiceBank.DEFAULT_PITCHES, new Voice("te", 160, 50), 9)))
                .run(null);
        ObjectMapper json = new ObjectMapper();
        // The answer of pair 2: its question is spoken (and written) before the answer fails.
        String word = json.readValue(reference.resolve("conv_000003/meta.json").toFile(), PairMeta.class).answer();
        Files.writeString(refuse, word + "\n");
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            PairMeta meta = json.readValue(reference.resolve(ConversationGenerator.folderName(i)).resolve("meta.json")
                    .toFile(), PairMeta.class);
            if (meta.question().contains(word) || meta.answer().contains(word)) {
                refused.add(i);
            }
        }
        assertThat(refused).contains(2).hasSizeLessThan(10);
        Path out = dir.resolve("spark");
        GenerateJob.Options options = GenerateJob.Options.of(out.toString(), 10, 9).withRecipe(GenerationRecipe.builtIn("te")
                .withTts(command, users, "te")).withPartitions(2);

        GenerateJob.Result failed = GenerateJob.run(sc, options);

        assertThat(failed.complete()).isFalse();
        assertThat(failed.failed()).isEqualTo(refused.size());
        assertThat(failed.failures()).extracting(PairFailure::index).containsExactlyElementsOf(refused);
        assertThat(failed.failures().get(0).reason()).contains("voice engine refused");
        assertThat(failed.describe()).contains("pair 2 (conv_000003)", "failed: " + refused.size(), "run the same job again");
        assertThat(failed.summary().generated()).isEqualTo(10 - refused.size());
        Map<String, String> made = Trees.files(out);
        Map<String, String> expected = Trees.files(reference, rel -> refused.stream()
                .anyMatch(i -> rel.startsWith(ConversationGenerator.folderName(i) + "/")));
        // The failed pairs left no files behind; every other pair is complete and as on one machine.
        assertThat(made).isEqualTo(expected);
        assertThat(out.resolve("conv_000003")).doesNotExist();

        Files.writeString(refuse, "");
        GenerateJob.Result rerun = GenerateJob.run(sc, options);

        assertThat(rerun.complete()).isTrue();
        assertThat(rerun.summary().generated()).isEqualTo(refused.size());
        assertThat(Trees.files(out)).isEqualTo(Trees.files(reference));
    }

    @Test
    void aDataSetOfOtherSettingsIsRefusedBeforeAnyPairIsMade() throws IOException {
        Path out = dir.resolve("spark");
        GenerateJob.run(sc, GenerateJob.Options.of(out.toString(), 3, 1));
        Map<String, String> before = Trees.files(out);

        assertThatThrownBy(() -> GenerateJob.run(sc, GenerateJob.Options.of(out.toString(), 3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed = 1, not 2");
        assertThatThrownBy(() -> GenerateJob.run(sc, GenerateJob.Options.of(out.toString(), 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smaller --num_pairs");
        assertThatThrownBy(() -> GenerateJob.run(sc, GenerateJob.Options.of(out.toString(), 3, 1)
                .withRecipe(GenerationRecipe.builtIn("te").withTts("mytts {text}", List.of("a", "b"), "c"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{out}");
        assertThat(Trees.files(out)).isEqualTo(before);
    }
}
