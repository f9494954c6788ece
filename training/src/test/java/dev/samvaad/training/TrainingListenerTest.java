package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.model.ModelCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20: a program that embeds the trainer gets its figures from a listener, not from its log. */
class TrainingListenerTest {
    @TempDir
    Path dir;

    /** Everything a run told its listener, and whether curves.png was there at each epoch's end. */
    private static final class Recorder implements TrainingListener {
        final List<Step> steps = new ArrayList<>();
        final List<CheckpointSaved> checkpoints = new ArrayList<>();
        final List<Epoch> epochs = new ArrayList<>();
        final List<Boolean> curvesThere = new ArrayList<>();

        @Override
        public void onStep(Step step) {
            steps.add(step);
        }

        @Override
        public void onCheckpoint(CheckpointSaved checkpoint) {
            assertThat(checkpoint.folder().resolve("model.json")).as("written before the event").exists();
            checkpoints.add(checkpoint);
        }

        @Override
        public void onEpoch(Epoch epoch) {
            curvesThere.add(Files.isRegularFile(epoch.curves()));
            epochs.add(epoch);
        }
    }

    @Test
    void aListenerHearsEveryStepCheckpointAndEpochAndCurvesAreRedrawnAfterEachEpoch() throws Exception {
        Path out = dir.resolve("run");
        Recorder heard = new Recorder();

        Trainer.Result result = TrainerFixtures.trainer(out, 2, 1e-2).run(Trainer.Start.NEW, null, heard);

        // 10 training pairs in batches of 3: 4 steps an epoch.
        assertThat(heard.steps).extracting(TrainingListener.Step::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(heard.steps).extracting(TrainingListener.Step::epoch).containsExactly(1, 1, 1, 1, 2, 2, 2, 2);
        assertThat(heard.steps).allSatisfy(s -> {
            assertThat(s.totalSteps()).isEqualTo(8);
            assertThat(s.epochs()).isEqualTo(2);
            assertThat(s.loss()).isFinite().isPositive();
            assertThat(s.learningRate()).isPositive();
            assertThat(s.gradientNorm()).isFinite();
            assertThat(s.tokensPerSecond()).isPositive();
        });
        List<MetricsLog.Row> rows = new MetricsLog(out.resolve(Trainer.METRICS_CSV)).read();
        List<MetricsLog.Row> train = rows.stream().filter(r -> r.kind().equals("train")).toList();
        assertThat(train).hasSize(8);
        for (int i = 0; i < train.size(); i++) {
            assertThat(heard.steps.get(i).loss()).as("the metrics CSV's loss").isCloseTo(train.get(i).loss(),
                    Offset.offset(1e-6));
        }

        assertThat(heard.epochs).extracting(TrainingListener.Epoch::epoch).containsExactly(1, 2);
        assertThat(heard.curvesThere).as("curves.png redrawn at the end of each epoch, the first included")
                .containsExactly(true, true);
        List<MetricsLog.Row> val = rows.stream().filter(r -> r.kind().equals("val")).toList();
        for (int e = 0; e < 2; e++) {
            TrainingListener.Epoch epoch = heard.epochs.get(e);
            assertThat(epoch.step()).isEqualTo(4L * (e + 1));
            assertThat(epoch.validationLoss()).isCloseTo(val.get(e).loss(), Offset.offset(1e-5));
            assertThat(epoch.validationAccuracy()).isCloseTo(val.get(e).accuracy(), Offset.offset(1e-4));
            assertThat(epoch.validationRetrieval()).as("no codebooks known: not measured").isNaN();
            double mean = IntStream.range(4 * e, 4 * e + 4).mapToDouble(i -> heard.steps.get(i).loss()).average()
                    .orElseThrow();
            assertThat(epoch.trainLoss()).isCloseTo(mean, Offset.offset(1e-12));
            assertThat(epoch.curves()).isEqualTo(out.resolve("curves.png"));
        }
        assertThat(heard.epochs.get(0).best()).isTrue();

        // A checkpoint every step (the fixture's checkpointEvery is 1), and best/ whenever an epoch was better.
        List<TrainingListener.CheckpointSaved> last = heard.checkpoints.stream()
                .filter(c -> c.kind() == TrainingListener.CheckpointSaved.Kind.LAST).toList();
        assertThat(last).extracting(TrainingListener.CheckpointSaved::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(last).allSatisfy(c -> assertThat(c.folder()).isEqualTo(result.last()));
        List<TrainingListener.CheckpointSaved> best = heard.checkpoints.stream()
                .filter(c -> c.kind() == TrainingListener.CheckpointSaved.Kind.BEST).toList();
        assertThat(best).extracting(TrainingListener.CheckpointSaved::step).startsWith(4L)
                .hasSize((int) heard.epochs.stream().filter(TrainingListener.Epoch::best).count());
        assertThat(ModelCheckpoint.load(result.best(), "codec-test").info().step())
                .isEqualTo(best.get(best.size() - 1).step());
    }

    @Test
    void aListenerThatThrowsStopsTheRunWithTheLastCheckpointLoadableAndResumable() {
        Path out = dir.resolve("stopped");
        TrainingListener stopAtThree = new TrainingListener() {
            @Override
            public void onStep(Step step) {
                if (step.step() == 3) {
                    throw new IllegalStateException("enough");
                }
            }
        };

        assertThatThrownBy(() -> TrainerFixtures.trainer(out, 2, 1e-2).run(Trainer.Start.NEW, null, stopAtThree))
                .isInstanceOf(IllegalStateException.class).hasMessage("enough");

        assertThat(ModelCheckpoint.load(out.resolve("last"), "codec-test").info().step()).isEqualTo(2);
        assertThat(TrainerFixtures.trainer(out, 2, 1e-2).run(Trainer.Start.RESUME, null).steps()).isEqualTo(8);
    }
}
