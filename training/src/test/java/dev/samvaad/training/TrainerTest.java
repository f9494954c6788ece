package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.model.ModelCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    }

    @Test
    void killedWithSigkillAndResumedEqualsAnUninterruptedRun() throws Exception {
        int epochs = 5;
        Path reference = dir.resolve("reference");
        TrainerFixtures.trainer(reference, epochs, 1e-2).run(false, null);

        Path killed = dir.resolve("killed");
        for (int round = 0; round < 3; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TrainerFixtures.class.getName(), killed.toString(),
                    Integer.toString(epochs)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child-" + round + ".log").toFile()).start();
            long target = 3L + 4 * round;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (stepsLogged(killed) < target && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ModelCheckpoint.load(killed.resolve("last"), "codec-test").info().step()).isLessThan(20);

        Trainer.Result resumed = TrainerFixtures.trainer(killed, epochs, 1e-2).run(true, null);

        assertThat(resumed.steps()).isEqualTo(20);
        Map<String, float[]> expected = ModelCheckpoint.load(reference.resolve("last"), "codec-test").model().weights();
        Map<String, float[]> actual = ModelCheckpoint.load(killed.resolve("last"), "codec-test").model().weights();
        for (String name : expected.keySet()) {
            assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
        }
        List<MetricsLog.Row> rows = new MetricsLog(killed.resolve(Trainer.METRICS_CSV)).read();
        assertThat(rows.stream().filter(r -> r.kind().equals("train")).map(MetricsLog.Row::step).toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
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
