package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.codec.CodeLayout;
import dev.samvaad.dataset.BatchBuilder.OverLength;
import dev.samvaad.dataset.BatchBuilder.Options;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BatchBuilderTest {
    private static final int K = 16;
    private static final int PAD = 16;
    private static final int BOS = 17;
    private static final int EOS = 18;

    /** {@code q} codebooks of {@code frames} codes, counting up from {@code first} (mod K). */
    private static int[][] codes(int q, int frames, int first) {
        int[][] c = new int[q][frames];
        for (int b = 0; b < q; b++) {
            for (int t = 0; t < frames; t++) {
                c[b][t] = (first + 5 * b + t) % K;
            }
        }
        return c;
    }

    /** {@code n} pairs of 2 codebooks with seeded lengths: input 1..maxInput, target 0..maxTarget. */
    private static PairDataset randomPairs(int n, int maxInput, int maxTarget, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<CodePair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(new CodePair("p" + i, Split.TRAIN, codes(2, 1 + random.nextInt(maxInput), i),
                    codes(2, random.nextInt(maxTarget + 1), 3 * i)));
        }
        return PairDataset.of(pairs, 2, K, PairDataset.Task.CONVERSATION);
    }

    private static List<String> ids(List<Batch> epoch) {
        return epoch.stream().flatMap(b -> b.ids().stream()).toList();
    }

    /** The special tokens {@link #oneBatchLaidOutExactly} expects are the dataset layout's. */
    @Test
    void theSpecialTokensAreTheDatasetLayouts() {
        CodeLayout layout = randomPairs(1, 4, 4, 1).layout();
        assertThat(layout).isEqualTo(new CodeLayout(2, K));
        assertThat(List.of(layout.pad(), layout.bos(), layout.eos())).containsExactly(PAD, BOS, EOS);
    }

    @Test
    void oneBatchLaidOutExactly() {
        List<CodePair> pairs = List.of(
                new CodePair("a", Split.TRAIN, new int[][] {{1, 2, 3}, {4, 5, 6}}, new int[][] {{7, 8}, {9, 10}}),
                new CodePair("b", Split.TRAIN, new int[][] {{11}, {12}}, new int[][] {{0, 1, 2, 3}, {15, 14, 13, 12}}),
                new CodePair("c", Split.TRAIN, new int[][] {{5, 5}, {6, 6}}, new int[][] {{}, {}}));
        BatchBuilder builder = new BatchBuilder(PairDataset.of(pairs, 2, K, PairDataset.Task.CONVERSATION), Split.TRAIN,
                Options.builder().batchSize(3).bucketing(false).seed(1).build());

        List<Batch> epoch = builder.epoch(0);
        assertThat(epoch).hasSize(1);
        Batch batch = epoch.get(0);
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            row.put(batch.ids().get(i), i);
        }
        assertThat(row).containsOnlyKeys("a", "b", "c");
        int a = row.get("a");
        int b = row.get("b");
        int c = row.get("c");

        assertThat(batch.encoderInput()[a]).isDeepEqualTo(new int[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(batch.encoderInput()[b]).isDeepEqualTo(new int[][] {{11, PAD, PAD}, {12, PAD, PAD}});
        assertThat(batch.encoderInput()[c]).isDeepEqualTo(new int[][] {{5, 5, PAD}, {6, 6, PAD}});
        assertThat(batch.encoderMask()[a]).containsExactly(1, 1, 1);
        assertThat(batch.encoderMask()[b]).containsExactly(1, 0, 0);
        assertThat(batch.encoderMask()[c]).containsExactly(1, 1, 0);

        // Td = 4 target frames of b + EOS.
        assertThat(batch.decoderInput()[a]).isDeepEqualTo(new int[][] {{BOS, 7, 8, PAD, PAD}, {BOS, 9, 10, PAD, PAD}});
        assertThat(batch.labels()[a]).isDeepEqualTo(new int[][] {{7, 8, EOS, PAD, PAD}, {9, 10, EOS, PAD, PAD}});
        assertThat(batch.labelMask()[a]).containsExactly(1, 1, 1, 0, 0);
        assertThat(batch.decoderInput()[b]).isDeepEqualTo(new int[][] {{BOS, 0, 1, 2, 3}, {BOS, 15, 14, 13, 12}});
        assertThat(batch.labels()[b]).isDeepEqualTo(new int[][] {{0, 1, 2, 3, EOS}, {15, 14, 13, 12, EOS}});
        assertThat(batch.labelMask()[b]).containsExactly(1, 1, 1, 1, 1);
        assertThat(batch.decoderInput()[c]).isDeepEqualTo(new int[][] {{BOS, PAD, PAD, PAD, PAD}, {BOS, PAD, PAD, PAD, PAD}});
        assertThat(batch.labels()[c]).isDeepEqualTo(new int[][] {{EOS, PAD, PAD, PAD, PAD}, {EOS, PAD, PAD, PAD, PAD}});
        assertThat(batch.labelMask()[c]).containsExactly(1, 0, 0, 0, 0);
        assertThat(builder.truncated()).isZero();
        assertThat(builder.skipped()).isZero();
    }

    @Test
    void everyRowFollowsTheLayoutOverSeededRandomLengthsWithTruncation() {
        PairDataset data = randomPairs(300, 60, 60, 42);
        Options options = Options.builder().batchSize(7).maxInputFrames(40).maxTargetFrames(40).seed(3).build();
        BatchBuilder builder = new BatchBuilder(data, Split.TRAIN, options);
        Map<String, CodePair> byId = data.pairs().stream().collect(Collectors.toMap(CodePair::id, Function.identity()));

        long longer = data.pairs().stream().filter(p -> p.inputFrames() > 40 || p.targetFrames() + 1 > 40).count();
        assertThat(longer).isBetween(100L, 250L);
        assertThat(builder.truncated()).isEqualTo(longer);
        assertThat(builder.skipped()).isZero();
        assertThat(builder.size()).isEqualTo(300);

        List<Batch> epoch = builder.epoch(0);
        assertThat(epoch).hasSize(builder.batchesPerEpoch()).hasSize(43);
        for (Batch batch : epoch) {
            int rows = batch.size();
            assertThat(rows).isBetween(1, 7);
            int q = 2;
            int ts = batch.encoderMask()[0].length;
            int td = batch.labelMask()[0].length;
            int maxM = 0;
            int maxN = 0;
            for (int i = 0; i < rows; i++) {
                CodePair source = byId.get(batch.ids().get(i));
                int m = Math.min(source.inputFrames(), 40);
                int n = Math.min(source.targetFrames(), 39);
                maxM = Math.max(maxM, m);
                maxN = Math.max(maxN, n);
                assertThat(batch.encoderInput()[i]).hasNumberOfRows(q);
                assertThat(sum(batch.encoderMask()[i])).isEqualTo(m);
                assertThat(sum(batch.labelMask()[i])).isEqualTo(n + 1);
                for (int b = 0; b < q; b++) {
                    int[] enc = batch.encoderInput()[i][b];
                    int[] dec = batch.decoderInput()[i][b];
                    int[] lab = batch.labels()[i][b];
                    assertThat(enc).hasSize(ts);
                    assertThat(dec).hasSize(td);
                    assertThat(lab).hasSize(td);
                    assertThat(Arrays.copyOf(enc, m)).containsExactly(Arrays.copyOf(source.input()[b], m));
                    assertPad(enc, m);
                    assertThat(dec[0]).isEqualTo(BOS);
                    for (int t = 0; t < n; t++) {
                        assertThat(lab[t]).isEqualTo(source.target()[b][t]);
                        assertThat(dec[t + 1]).isEqualTo(lab[t]);
                    }
                    assertThat(lab[n]).isEqualTo(EOS);
                    assertPad(lab, n + 1);
                    assertPad(dec, n + 1);
                }
                for (int t = 0; t < ts; t++) {
                    assertThat(batch.encoderMask()[i][t]).isEqualTo(t < m ? 1f : 0f);
                }
                for (int t = 0; t < td; t++) {
                    assertThat(batch.labelMask()[i][t]).isEqualTo(batch.labels()[i][0][t] == PAD ? 0f : 1f);
                }
            }
            assertThat(ts).isEqualTo(maxM);
            assertThat(td).isEqualTo(maxN + 1).isLessThanOrEqualTo(40);
        }
    }

    private static void assertPad(int[] row, int from) {
        for (int t = from; t < row.length; t++) {
            assertThat(row[t]).as("frame %d of %d", t, row.length).isEqualTo(PAD);
        }
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    @Test
    void aTargetFitsWhenItsFramesPlusEosFit() {
        List<CodePair> pairs = List.of(
                new CodePair("fits", Split.TRAIN, codes(2, 10, 0), codes(2, 9, 1)),
                new CodePair("one-over", Split.TRAIN, codes(2, 10, 0), codes(2, 10, 1)),
                new CodePair("long-input", Split.TRAIN, codes(2, 11, 0), codes(2, 3, 1)));
        PairDataset data = PairDataset.of(pairs, 2, K, PairDataset.Task.CONVERSATION);
        Options options = Options.builder().maxInputFrames(10).maxTargetFrames(10).bucketing(false).build();

        BatchBuilder truncating = new BatchBuilder(data, Split.TRAIN, options);
        Batch batch = truncating.epoch(0).get(0);
        int over = batch.ids().indexOf("one-over");
        int longInput = batch.ids().indexOf("long-input");
        assertThat(truncating.truncated()).isEqualTo(2);
        // The first 9 of 10 target frames, then EOS: codebook 0 counts from 1, codebook 1 from 6.
        assertThat(batch.labels()[over][0]).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, EOS);
        assertThat(batch.labels()[over][1]).containsExactly(6, 7, 8, 9, 10, 11, 12, 13, 14, EOS);
        assertThat(batch.decoderInput()[over][1]).containsExactly(BOS, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertThat(sum(batch.encoderMask()[longInput])).isEqualTo(10);
        assertThat(batch.encoderInput()[longInput][0]).containsExactly(Arrays.copyOf(pairs.get(2).input()[0], 10));

        BatchBuilder skipping = new BatchBuilder(data, Split.TRAIN, options.toBuilder().overLength(OverLength.SKIP).build());
        assertThat(skipping.skipped()).isEqualTo(2);
        assertThat(skipping.truncated()).isZero();
        assertThat(ids(skipping.epoch(0))).containsExactly("fits");
    }

    @Test
    void skipLeavesOutExactlyTheLongPairsAndSaysSoOnce() {
        PairDataset data = randomPairs(200, 50, 50, 7);
        Options options = Options.builder().batchSize(16).maxInputFrames(30).maxTargetFrames(30)
                .overLength(OverLength.SKIP).seed(9).build();
        List<String> expected = data.pairs().stream()
                .filter(p -> p.inputFrames() <= 30 && p.targetFrames() + 1 <= 30).map(CodePair::id).sorted().toList();

        BatchBuilder[] built = new BatchBuilder[1];
        String log = TestAudio.stderrOf(() -> built[0] = new BatchBuilder(data, Split.TRAIN, options));
        String epochLog = TestAudio.stderrOf(() -> built[0].epoch(0));

        BatchBuilder builder = built[0];
        assertThat(builder.skipped()).isEqualTo(200 - expected.size()).isPositive();
        assertThat(builder.size()).isEqualTo(expected.size());
        assertThat(ids(builder.epoch(0)).stream().sorted().toList()).isEqualTo(expected);
        assertThat(log.lines().filter(l -> l.contains("INFO"))).singleElement().asString()
                .contains(builder.skipped() + " of 200 train pairs longer than 30 input frames or 29 target frames")
                .contains("skipped");
        assertThat(epochLog).isEmpty();
    }

    @Test
    void everyEpochIsAPermutationDecidedBySeedAndEpoch() {
        PairDataset data = randomPairs(500, 80, 80, 11);
        Options options = Options.builder().batchSize(8).seed(5).build();
        BatchBuilder builder = new BatchBuilder(data, Split.TRAIN, options);
        BatchBuilder twin = new BatchBuilder(data, Split.TRAIN, options);
        BatchBuilder otherSeed = new BatchBuilder(data, Split.TRAIN, options.toBuilder().seed(6).build());
        List<String> all = data.pairs().stream().map(CodePair::id).sorted().toList();

        List<List<String>> orders = new ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            List<Batch> batches = builder.epoch(epoch);
            List<String> order = ids(batches);
            assertThat(order.stream().sorted().toList()).isEqualTo(all);
            assertThat(batches).hasSize(63);
            // Chunks are whole batches, so only the epoch's last chunk can end in a short batch.
            assertThat(batches.stream().filter(b -> b.size() < 8)).hasSizeLessThanOrEqualTo(1);
            assertThat(ids(twin.epoch(epoch))).isEqualTo(order);
            assertThat(ids(otherSeed.epoch(epoch))).isNotEqualTo(order);
            assertThat(orders).doesNotContain(order);
            orders.add(order);
        }
        assertThat(ids(builder.epoch(2))).isEqualTo(orders.get(2));
    }

    @Test
    void bucketingGroupsSimilarTargetLengths() {
        PairDataset data = randomPairs(800, 100, 200, 13);
        Options bucketed = Options.builder().batchSize(16).seed(1).build();
        Options plain = bucketed.toBuilder().bucketing(false).build();

        double withBuckets = meanLengthRatio(new BatchBuilder(data, Split.TRAIN, bucketed).epoch(0));
        double without = meanLengthRatio(new BatchBuilder(data, Split.TRAIN, plain).epoch(0));

        assertThat(withBuckets).isLessThan(1.5);
        assertThat(without).isGreaterThan(5.0);
        assertThat(withBuckets * 4).isLessThan(without);
    }

    /** Mean over batches of (longest target + 1) / (shortest target + 1), EOS counted. */
    private static double meanLengthRatio(List<Batch> batches) {
        double total = 0;
        for (Batch batch : batches) {
            double longest = 0;
            double shortest = Double.MAX_VALUE;
            for (float[] mask : batch.labelMask()) {
                longest = Math.max(longest, sum(mask));
                shortest = Math.min(shortest, sum(mask));
            }
            total += longest / shortest;
        }
        return total / batches.size();
    }

    @Test
    void onlyTheAskedSplitIsBatched() {
        List<CodePair> pairs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pairs.add(new CodePair("p" + i, i % 3 == 0 ? Split.VAL : Split.TRAIN, codes(1, 3, i), codes(1, 2, i)));
        }
        PairDataset data = PairDataset.of(pairs, 1, K, PairDataset.Task.RECONSTRUCTION);

        BatchBuilder val = new BatchBuilder(data, Split.VAL, Options.builder().batchSize(3).build());
        assertThat(ids(val.epoch(0))).containsExactlyInAnyOrder("p0", "p3", "p6", "p9");
        assertThat(new BatchBuilder(data, Split.TEST_SLOT, Options.defaults()).epoch(0)).isEmpty();
    }

    @Test
    void optionsHaveTheDocumentedDefaultsAndRefuseBadValues() {
        Options defaults = Options.defaults();
        assertThat(defaults).isEqualTo(new Options(16, 250, 250, OverLength.TRUNCATE, true, 0));
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);

        assertThatThrownBy(() -> Options.builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> Options.builder().maxInputFrames(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInputFrames");
        assertThatThrownBy(() -> Options.builder().maxTargetFrames(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTargetFrames");
        assertThatThrownBy(() -> Options.builder().overLength(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("overLength");
    }
}
