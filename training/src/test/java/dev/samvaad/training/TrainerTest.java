package dev.samvaad.training;

import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.model.ModelCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    @TempDir
    Path dir;

    @Test
    void trainsValidatesAndWritesCheckpointsMetricsAndCurves() throws Exception {
        Path out = dir.resolve("run");
        Trainer.Result result = TrainerFixtures.trainer(out, 6, 1e-2).run(false, null);

        assertThat(result.steps()).isEqualTo(6 * 4); // 10 train pairs in batches of 3
        assertThat(out.resolve("best/model.json")).exists();
        assertThat(out.resolve("last/model.json")).exists();
        assertThat(out.resolve("curves.png")).isNotEmptyFile();
        List<MetricsLog.Row> rows = new MetricsLog(out.resolve(Trainer.METRICS_CSV)).read();
        List<MetricsLog.Row> train = rows.stream().filter(r -> r.kind().equals("train")).toList();
        List<MetricsLog.Row> val = rows.stream().filter(r -> r.kind().equals("val")).toList();
        assertThat(train).hasSize(24);
        assertThat(train).extracting(MetricsLog.Row::step).doesNotHaveDuplicates();
        assertThat(val).hasSize(6);
        assertThat(train.get(train.size() - 1).loss()).isLessThan(train.get(0).loss() * 0.7);
        assertThat(result.bestValidationLoss()).isCloseTo(val.stream().mapToDouble(MetricsLog.Row::loss).min().orElseThrow(), org.assertj.core.data.Offset.offset(1e-5));
        ModelCheckpoint.Loaded last = ModelCheckpoint.load(out.resolve("last"), "codec-test");
        assertThat(last.info().step()).isEqualTo(24);
        assertThat(last.info().trainer()).containsEntry("epoch", 6).containsEntry("batch", 0);
        if (PeakMemory.residentBytes().isPresent()) { // Linux: every train row has the peak so far
            List<String> lines = Files.readAllLines(out.resolve(Trainer.METRICS_CSV));
            assertThat(lines.get(0)).endsWith(",peak_rss_mb");
            String lastTrain = lines.stream().filter(l -> l.contains(",train,")).reduce((a, b) -> b).orElseThrow();
            assertThat(Long.parseLong(lastTrain.substring(lastTrain.lastIndexOf(',') + 1))).isPositive();
            assertThat(result.peakResidentBytes().getAsLong()).isGreaterThanOrEqualTo(
                    Long.parseLong(lastTrain.substring(lastTrain.lastIndexOf(',') + 1)) << 20);
        }
    }

    @Test
    void withTheCodebooksKnownTheBestCheckpointIsChosenByFreeRunningRetrieval() throws Exception {
        Path out = dir.resolve("grouped");
        ModelConfig config = TrainerFixtures.CONFIG.withGrouping(2, true);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float[][][] vectors = new float[2][8][3];
        for (float[][] book : vectors) {
            for (float[] v : book) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) rng.nextGaussian();
                }
            }
        }
        Trainer.Result result = new Trainer(TrainerFixtures.data(), config, "codec-test", vectors, out,
                new Trainer.Options(4, 3, 1e-2, 2, 4, 1, 1.0, 0.3, 2, 3f)).run(false, null);

        List<MetricsLog.Row> rows = new MetricsLog(out.resolve(Trainer.METRICS_CSV)).read();
        List<MetricsLog.Row> retrieval = rows.stream().filter(r -> r.kind().equals(MetricsLog.RETRIEVAL)).toList();
        assertThat(retrieval).hasSize(4).allSatisfy(r -> assertThat(r.accuracy()).isBetween(0.0, 1.0));
        double best = retrieval.stream().mapToDouble(MetricsLog.Row::accuracy).max().orElseThrow();
        ModelCheckpoint.Loaded chosen = ModelCheckpoint.load(result.best(), "codec-test");
        assertThat(chosen.info().metrics().get("bestValRetrieval")).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(chosen.model().config().frameGroup()).isEqualTo(2);
        long firstBest = retrieval.stream().filter(r -> r.accuracy() == best).findFirst().orElseThrow().step();
        assertThat(chosen.info().step()).as("ties go to the lower validation loss, never to an earlier, worse epoch")
                .isGreaterThanOrEqualTo(firstBest);
    }

    /**
     * Kills training with SIGKILL at seeded random points, {@code samvaad.test.kills} times (4 by
     * default; RELIABILITY.md records a longer run), resuming each time. Checkpoints are written
     * after every step, so kills land inside saves too. After every kill the last checkpoint must
     * load and never be older than the one before; at the end the weights must equal an
     * uninterrupted run's and the metrics log must hold steps 1..20 once each.
     */
    @Test
    void killedWithSigkillAtRandomPointsAndResumedEqualsAnUninterruptedRun() throws Exception {
        int kills = Integer.getInteger("samvaad.test.kills", 4);
        int epochs = 5 + kills; // 4 steps an epoch; each round advances at most 4 steps
        Path reference = dir.resolve("reference");
        TrainerFixtures.trainer(reference, epochs, 1e-2).run(false, null);

        Path killed = dir.resolve("killed");
        java.util.Random random = new java.util.Random(0x7EA1_4B1L);
        long checkpointStep = 0;
        for (int round = 0; round < kills; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TrainerFixtures.class.getName(), killed.toString(),
                    Integer.toString(epochs)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child-" + round + ".log").toFile()).start();
            // A random number of steps past where this round resumed, then a random part of a step
            // (about 100 ms here), so kills land in steps, in checkpoint saves and between them.
            long target = checkpointStep + 1 + random.nextInt(3);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (stepsLogged(killed) < target && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(120));
            assertThat(child.isAlive()).as("round %d: still training when killed", round).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // A kill before the first save leaves no checkpoint; after that one must always load.
            boolean saved = ModelCheckpoint.recover(killed.resolve("last"));
            assertThat(saved || checkpointStep == 0).as("round %d: the checkpoint of step %d was lost", round,
                    checkpointStep).isTrue();
            long step = saved ? ModelCheckpoint.load(killed.resolve("last"), "codec-test").info().step() : 0;
            assertThat(step).as("round %d: the last checkpoint never goes back", round).isGreaterThanOrEqualTo(checkpointStep);
            checkpointStep = step;
        }
        assertThat(checkpointStep).isLessThan(4L * epochs);

        Trainer.Result resumed = TrainerFixtures.trainer(killed, epochs, 1e-2).run(true, null);

        assertThat(resumed.steps()).isEqualTo(4L * epochs);
        Map<String, float[]> expected = ModelCheckpoint.load(reference.resolve("last"), "codec-test").model().weights();
        Map<String, float[]> actual = ModelCheckpoint.load(killed.resolve("last"), "codec-test").model().weights();
        for (String name : expected.keySet()) {
            assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
        }
        List<MetricsLog.Row> rows = new MetricsLog(killed.resolve(Trainer.METRICS_CSV)).read();
        assertThat(rows.stream().filter(r -> r.kind().equals("train")).map(MetricsLog.Row::step).toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 4L * epochs).boxed().toList());
        try (java.util.stream.Stream<Path> files = Files.list(killed)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(name -> !name.startsWith("."), "no leftover .partial or .old folders");
        }
    }

    @Test
    void aHandEditedResumeStateIsRefusedNamingTheCheckpoint() throws Exception {
        Path out = dir.resolve("edited");
        TrainerFixtures.trainer(out, 1, 1e-2).run(false, null);
        Path last = out.resolve("last");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var model = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(last.resolve("model.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) model.get("trainer")).put("epoch", "two");
        Files.write(last.resolve("model.json"), json.writeValueAsBytes(model));
        Files.writeString(last.resolve("checksums.sha256"), sha256(last.resolve("model.sd")) + "  model.sd\n"
                + sha256(last.resolve("model.json")) + "  model.json\n");

        assertThatThrownBy(() -> TrainerFixtures.trainer(out, 2, 1e-2).run(true, null))
                .isInstanceOf(TrainingException.class).hasMessageStartingWith(last.toString())
                .hasMessageContaining("trainer.epoch = two, not a number");
    }

    @Test
    void aFinishedRunIsNeverReplacedWithoutBeingAsked() throws Exception {
        Path out = dir.resolve("finished");
        TrainerFixtures.trainer(out, 2, 1e-2).run(Trainer.Start.NEW, null);
        byte[] metrics = Files.readAllBytes(out.resolve(Trainer.METRICS_CSV));
        byte[] bestJson = Files.readAllBytes(out.resolve("best/model.json"));

        assertThatThrownBy(() -> TrainerFixtures.trainer(out, 1, 1e-2).run(Trainer.Start.NEW, null))
                .isInstanceOf(TrainingException.class).hasMessageStartingWith(out.toString())
                .hasMessageContaining("already holds a training run (last/ at step 8)")
                .hasMessageContaining("--resume").hasMessageContaining("--overwrite");
        assertThat(Files.readAllBytes(out.resolve(Trainer.METRICS_CSV))).isEqualTo(metrics);
        assertThat(Files.readAllBytes(out.resolve("best/model.json"))).isEqualTo(bestJson);

        // What an interrupted save of the old run left must go too, or a later recover could bring it back.
        Path movedAside = Files.createDirectories(out.resolve(".best.old-1"));
        Files.copy(out.resolve("best/checksums.sha256"), movedAside.resolve("checksums.sha256"));
        Trainer.Result again = TrainerFixtures.trainer(out, 1, 1e-2).run(Trainer.Start.OVERWRITE, null);
        assertThat(movedAside).doesNotExist();
        assertThat(again.steps()).isEqualTo(4);
        assertThat(stepsLogged(out)).isEqualTo(4);
        assertThat(ModelCheckpoint.load(out.resolve("best"), "codec-test").info().step()).isEqualTo(4);
    }

    /**
     * A run folder written by the build before JSON keys were all camelCase (commit 8339410: its
     * model.json has "codec_fingerprint", "best_val_loss", ...; checksums as that build wrote them):
     * it loads, and resuming it continues where it stopped and writes camelCase keys.
     */
    @Test
    void aRunWrittenWithTheSnakeCaseKeysOfAnEarlierBuildLoadsAndResumes() throws Exception {
        Path out = dir.resolve("earlier build");
        Path resource = Path.of(TrainerTest.class.getResource("snake-case-run/last/model.json").toURI()).getParent()
                .getParent();
        Files.createDirectories(out.resolve("last"));
        for (String file : List.of("last/model.json", "last/model.sd", "last/checksums.sha256", "metrics.csv")) {
            Files.copy(resource.resolve(file), out.resolve(file));
        }
        assertThat(Files.readString(out.resolve("last/model.json"))).contains("\"codec_fingerprint\" : \"codec-old\"",
                "\"best_val_loss\"");

        ModelCheckpoint.Loaded old = ModelCheckpoint.load(out.resolve("last"), "codec-old");
        assertThat(old.info().codecFingerprint()).isEqualTo("codec-old");
        assertThat(old.info().step()).isEqualTo(4);
        assertThat(old.info().metrics()).containsOnlyKeys("bestValLoss");
        assertThat(old.info().trainer()).containsEntry("epoch", 2).containsEntry("batch", 0)
                .containsEntry("bestValLoss", old.info().metrics().get("bestValLoss"));

        // The settings that build trained it with, one epoch more.
        ModelConfig config = new ModelConfig(2, 8, 8, 1, 1, 1, 8, 64);
        Trainer.Result resumed = new Trainer(TrainerFixtures.data(), config, "codec-old", out,
                new Trainer.Options(3, 5, 1e-2, 1, 4, 1, 1.0, 0.3, 2, 3f)).run(Trainer.Start.RESUME, null);

        assertThat(resumed.steps()).isEqualTo(6);
        ModelCheckpoint.Loaded last = ModelCheckpoint.load(out.resolve("last"), "codec-old");
        assertThat(last.info().trainer()).containsEntry("epoch", 3);
        assertThat((double) last.info().trainer().get("bestValLoss"))
                .isLessThanOrEqualTo(old.info().metrics().get("bestValLoss"));
        assertThat(Files.readString(out.resolve("last/model.json"))).contains("\"codecFingerprint\"", "\"bestValLoss\"")
                .doesNotContain("_");
    }

    @Test
    void givenTheCodecTheRunFolderKeepsItAndItsCheckpointsFindIt() throws Exception {
        List<float[]> tones = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) {
            float[] pcm = new float[8_000];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * (150 + 90 * s) * i / 16_000.0));
            }
            tones.add(pcm);
        }
        RvqCodec codec = CodecTrainer.trainOnSignals(tones, CodecTrainer.Options.defaults().withCodebooks(2, 8)
                .withIterations(2).withSeed(1));
        Path out = dir.resolve("with codec");

        new Trainer(TrainerFixtures.data(), TrainerFixtures.CONFIG, codec, out,
                new Trainer.Options(1, 3, 1e-2, 2, 4, 1, 1.0, 0.3, 2, 3f)).run(Trainer.Start.NEW, null);

        assertThat(RvqCodec.load(out.resolve("codec.smvd")).fingerprint()).isEqualTo(codec.fingerprint());
        assertThat(ModelFolder.codecFile(out)).contains(out.resolve("codec.smvd"));
        assertThat(ModelFolder.codecFile(out.resolve("best"))).contains(out.resolve("codec.smvd"));
        assertThat(ModelCheckpoint.load(out.resolve("best"), codec.fingerprint()).info().codecFingerprint())
                .isEqualTo(codec.fingerprint());
        // Given only the fingerprint, a trainer has no codec to keep.
        Path bare = dir.resolve("fingerprint only");
        TrainerFixtures.trainer(bare, 1, 1e-2).run(Trainer.Start.NEW, null);
        assertThat(bare.resolve("codec.smvd")).doesNotExist();
    }

    @Test
    void resumingAFolderWithoutACheckpointIsAnError() {
        Path out = dir.resolve("empty");
        assertThatThrownBy(() -> TrainerFixtures.trainer(out, 1, 1e-2).run(Trainer.Start.RESUME, null))
                .isInstanceOf(TrainingException.class).hasMessageContaining("nothing to resume");
        assertThat(out.resolve("last")).doesNotExist();
        // The quickstart's rule: resume when there is something to resume, else start.
        assertThat(TrainerFixtures.trainer(out, 1, 1e-2).run(Trainer.Start.RESUME_OR_NEW, null).steps()).isEqualTo(4);
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    @Test
    void anEncoderThatRecognisesTheQuestionTrainsOnItsTranscriptAndRefusesToTrainWithout() {
        ModelConfig config = TrainerFixtures.CONFIG.withQuestionSymbols(java.util.List.of(" ", "a", "b"), false);
        java.util.Map<String, String> questions = new java.util.HashMap<>();
        for (int i = 0; i < 12; i++) {
            questions.put("p" + i, i % 2 == 0 ? "ab, ba?" : "b");
        }
        Trainer.Options options = new Trainer.Options(2, 3, 1e-2, 2, 4, 1, 1.0, 0.3, 2, 3f);
        Trainer.Result result = new Trainer(TrainerFixtures.data(), config, "codec-test", null,
                new PairAnnotations(java.util.Map.of(), java.util.Map.of(), questions), dir.resolve("ctc"), options)
                .run(false, null);
        assertThat(result.steps()).isEqualTo(8);
        assertThat(result.bestValidationLoss()).isFinite();
        assertThatThrownBy(() -> new Trainer(TrainerFixtures.data(), config, "codec-test", null, PairAnnotations.NONE,
                dir.resolve("none"), options)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no question texts were given");
    }

    @Test
    void aDivergingLossStopsWithTheLastGoodCheckpointKept() {
        Path out = dir.resolve("diverge");
        assertThatThrownBy(() -> TrainerFixtures.trainer(out, 50, 1e9).run(false, null))
                .isInstanceOf(TrainingException.class).hasMessageContaining("the loss became")
                .hasMessageContaining("last good checkpoint");
    }

    private static long stepsLogged(Path out) throws Exception {
        Path csv = out.resolve(Trainer.METRICS_CSV);
        if (!Files.exists(csv)) {
            return 0;
        }
        return Files.readAllLines(csv).stream().filter(l -> l.contains(",train,")).count();
    }
}
