package dev.samvaad.bench;

import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.model.StepBatches;
import dev.samvaad.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model shapes the model benchmarks run, and random token data for them.
 *
 * <p>The current architecture, as {@code bin/samvaad train} builds it by default (and so the
 * quickstart): G = {@value #FRAME_GROUP} codec frames per decoder step ({@code G x Q} parallel
 * output heads), an encoder that reads the codec's features ({@value #FEATURES} per frame, the
 * quickstart codec's; a fixed random {@code src.codebook} table as {@code WeightNames.initial}
 * gives it) through convolutions, a CTC head recognising the question's {@value #SYMBOLS} characters
 * whose bag an intent head over {@value #INTENTS} intents reads, a text monologue of
 * {@value #SYMBOLS} symbols written before the codes (which read only the text), and a question
 * summary reading the intent head's posterior; the codec is
 * the quickstart's 4 codebooks of 256. At two sizes: {@link #TINY} ({@code --size tiny}, the
 * default) and {@link #SMALL} ({@code --size small}).
 *
 * <p>The previous architecture (one frame per step, learned code embeddings, no text, no summary)
 * stays as {@link #PREVIOUS_DEFAULT} and {@link #PREVIOUS_TINY}: {@code TrainStepBench} and its
 * PyTorch twin {@code bench/pytorch/train_step.py} (issue 16) time that model, and
 * {@code DecoderStepBench} and {@code FirstAudioBench} keep it as a case so their figures compare
 * with earlier runs.
 */
final class ModelFixtures {
    /** G, codec frames per decoder step of the current model. */
    static final int FRAME_GROUP = 4;
    /** D, the codec features per frame the current model's encoder reads: the default vocoder's 20 bands, log pitch and periodicity. */
    static final int FEATURES = 22;
    /** Symbols of the monologue's inventory (the quickstart's answers have about this many characters). */
    static final int SYMBOLS = 48;
    /** Intents of the auxiliary loss (the quickstart's 15). */
    static final int INTENTS = 15;
    /** Symbols of a typical monologue: a short spoken answer written out. */
    static final int MONOLOGUE = 40;

    /** The monologue's symbols: {@value #SYMBOLS} Telugu letters. */
    static final List<String> TEXT_SYMBOLS = telugu(SYMBOLS);
    /** The intents' names. */
    static final List<String> INTENT_NAMES = names("intent", INTENTS);

    /** The current model at {@code --size tiny}, the quickstart's: width 64, 1 + 1 layers, 4 x 256 codes, G = 4. */
    static final ModelConfig TINY = current(ModelConfig.tiny(4, 256));
    /** The current model at {@code --size small}: width 128, 2 + 2 layers, 4 x 256 codes, G = 4. */
    static final ModelConfig SMALL = current(ModelConfig.small(4, 256));
    /** The previous default model: {@code ModelConfig.small(6, 1024)}, one frame per step, code embeddings, no text. */
    static final ModelConfig PREVIOUS_DEFAULT = ModelConfig.small(6, 1024);
    /**
     * The previous {@code --size tiny} model at frame group 1, code embeddings and no text (as
     * {@code bench/pytorch/train_step.py} builds it).
     */
    static final ModelConfig PREVIOUS_TINY = ModelConfig.tiny(4, 256);

    private ModelFixtures() {}

    /** The current architecture at the size of {@code size}, as {@code train} adds it to {@code --size}'s config. */
    static ModelConfig current(ModelConfig size) {
        return size.withGrouping(FRAME_GROUP, true).withSourceFeatures(FEATURES).withText(TEXT_SYMBOLS)
                .withSummary(true, INTENT_NAMES).withQuestionSymbols(TEXT_SYMBOLS, true).withIntentSummary(true)
                .withCodesReadTextOnly(true);
    }

    /**
     * A model by the name the benchmarks' {@code model} parameter gives it.
     *
     * @param name {@code tiny}, {@code small} or {@code previous} ({@link #PREVIOUS_DEFAULT})
     * @return the config
     */
    static ModelConfig named(String name) {
        return switch (name) {
            case "tiny" -> TINY;
            case "small" -> SMALL;
            case "previous" -> PREVIOUS_DEFAULT;
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (tiny, small or previous)");
        };
    }

    /** Text rows a session of {@code c} feeds before its codes: TEXT_BOS and {@value #MONOLOGUE} symbols, or none without a monologue. */
    static int textRows(ModelConfig c) {
        return c.hasText() ? MONOLOGUE + 1 : 0;
    }

    /** [Q][frames] random codes. */
    static int[][] codes(SplittableRandom rng, ModelConfig c, int frames) {
        int[][] out = new int[c.codebooks()][frames];
        for (int[] row : out) {
            for (int t = 0; t < frames; t++) {
                row[t] = rng.nextInt(c.codebookSize());
            }
        }
        return out;
    }

    /** [S] random tokens of one decoder step ({@code S = G x Q} codes of G frames). */
    static int[] step(SplittableRandom rng, ModelConfig c) {
        int[] out = new int[c.streams()];
        for (int s = 0; s < out.length; s++) {
            out[s] = rng.nextInt(c.codebookSize());
        }
        return out;
    }

    /** {@code length} random symbol tokens of the monologue. */
    static int[] text(SplittableRandom rng, ModelConfig c, int length) {
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = ModelConfig.TEXT_SYMBOLS + rng.nextInt(c.textSymbols().size());
        }
        return out;
    }

    /** A full batch in frames: every row {@code source} frames in, {@code target} frames (+ EOS) out, no padding. */
    static TokenBatch batch(SplittableRandom rng, ModelConfig c, int rows, int source, int target) {
        int q = c.codebooks();
        int[][][] src = new int[rows][][], dec = new int[rows][q][target + 1], lab = new int[rows][q][target + 1];
        float[][] srcMask = new float[rows][source], labMask = new float[rows][target + 1];
        for (int r = 0; r < rows; r++) {
            src[r] = codes(rng, c, source);
            int[][] answer = codes(rng, c, target);
            for (int k = 0; k < q; k++) {
                dec[r][k][0] = c.layout().bos();
                System.arraycopy(answer[k], 0, dec[r][k], 1, target);
                System.arraycopy(answer[k], 0, lab[r][k], 0, target);
                lab[r][k][target] = c.layout().eos();
            }
            Arrays.fill(srcMask[r], 1f);
            Arrays.fill(labMask[r], 1f);
        }
        return new TokenBatch(src, srcMask, dec, lab, labMask);
    }

    /**
     * One row as the training graph of {@code c} takes it for a forward pass over a decoder prefix:
     * {@code source} frames in; {@code textRows} text rows (TEXT_BOS and {@code textRows - 1} symbols,
     * for a model with a monologue); {@code steps} code steps (the BOS step and {@code steps - 1}
     * steps of G frames). Grouped as {@link StepBatches#grouped} groups a frame batch.
     *
     * @param rng      the tokens' source
     * @param c        the model's shape
     * @param source   question frames
     * @param textRows text rows, {@code >= 1} for a model with a monologue; ignored without one
     * @param steps    code steps, {@code >= 1}
     * @return the batch, one row, no padding
     */
    static TokenBatch prefix(SplittableRandom rng, ModelConfig c, int source, int textRows, int steps) {
        // steps * G label frames (the answer and its EOS) make StepBatches.grouped give exactly `steps` steps.
        TokenBatch grouped = StepBatches.grouped(c, batch(rng, c, 1, source, steps * c.frameGroup() - 1));
        if (!c.hasText()) {
            return grouped;
        }
        int[] symbols = text(rng, c, textRows - 1);
        int[][] in = new int[1][textRows], labels = new int[1][textRows];
        float[][] mask = new float[1][textRows];
        in[0][0] = ModelConfig.TEXT_BOS;
        System.arraycopy(symbols, 0, in[0], 1, symbols.length);
        System.arraycopy(symbols, 0, labels[0], 0, symbols.length);
        labels[0][textRows - 1] = ModelConfig.TEXT_EOT;
        Arrays.fill(mask[0], 1f);
        return grouped.withText(in, labels, mask);
    }

    /**
     * Random weights as {@link WeightNames#initial} gives them, made to generate like a trained
     * model of their shape: the EOS logit of every stream is pushed down by 50 (the reply does not
     * end at once), and, for a model with a monologue, the text head writes exactly
     * {@code symbols} symbols under greedy decoding, whatever the question ({@link #countTo}).
     *
     * @param c       the model's shape
     * @param seed    decides the random weights
     * @param symbols the monologue's length, {@code 0 <= symbols < min(d, inventory + 1)}; ignored without a monologue
     * @return every weight by name
     */
    static Map<String, float[]> generating(ModelConfig c, long seed, int symbols) {
        Map<String, float[]> weights = WeightNames.initial(c, seed);
        float[] bias = weights.get("head.b");
        for (int s = 0; s < c.streams(); s++) {
            bias[s * c.layout().vocabulary() + c.layout().eos()] -= 50f;
        }
        if (c.hasText()) {
            countTo(c, weights, symbols, seed);
        }
        return weights;
    }

    /**
     * Wires the text embedding and head as a counter, so that greedy decoding writes symbols
     * 0, 1, ..., {@code symbols - 1} and then TEXT_EOT: a monologue of exactly {@code symbols}
     * symbols for any question. A static bias cannot do this (it cannot tell the first row from the
     * fortieth), and sampling with a bias on TEXT_EOT would give a geometric length (unbounded, its
     * spread as large as its mean) and change the agent's greedy decoding.
     *
     * <p>The text embedding rows of TEXT_BOS and of the first {@code symbols} symbols become
     * orthonormal directions {@code u_i} times {@code 8 sqrt(d)}, several times the rest of the
     * row (position, PAD embeddings and the random layers' outputs, each of norm about
     * {@code sqrt(d)}); the text head's column of the token after token {@code i} in the chain is
     * {@code u_i}, every other column and the text bias 0. The final LayerNorm's output then lies
     * close to {@code u_i} on row {@code i}, whose next token's logit is about {@code sqrt(d)} while
     * every other is near 0. The cost of a row does not depend on these values.
     */
    private static void countTo(ModelConfig c, Map<String, float[]> weights, int symbols, long seed) {
        int d = c.dModel(), vt = c.textVocabulary();
        if (symbols < 0 || symbols + 1 > d || symbols > c.textSymbols().size()) {
            throw new IllegalArgumentException("a counting monologue of " + symbols + " symbols needs 0 <= symbols < d = "
                    + d + " and at most the " + c.textSymbols().size() + " symbols of the inventory");
        }
        float[][] u = orthonormal(symbols + 1, d, new SplittableRandom(seed ^ 0x5EED));
        float[] embedding = weights.get("emb.text"), head = weights.get("head.text.w");
        Arrays.fill(head, 0f);
        Arrays.fill(weights.get("head.text.b"), 0f);
        float scale = (float) (8 * Math.sqrt(d));
        for (int i = 0; i <= symbols; i++) {
            int token = i == 0 ? ModelConfig.TEXT_BOS : ModelConfig.TEXT_SYMBOLS + i - 1;
            int next = i == symbols ? ModelConfig.TEXT_EOT : ModelConfig.TEXT_SYMBOLS + i;
            for (int j = 0; j < d; j++) {
                embedding[token * d + j] = scale * u[i][j];
                head[j * vt + next] = u[i][j]; // head.text.w is [d, Vt]
            }
        }
    }

    /** {@code n} orthonormal vectors of {@code d} dimensions (Gram-Schmidt over Gaussian ones), {@code n <= d}. */
    static float[][] orthonormal(int n, int d, SplittableRandom rng) {
        double[][] v = new double[n][d];
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                v[i][j] = rng.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) { // twice: re-orthogonalised against rounding
                for (int k = 0; k < i; k++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += v[i][j] * v[k][j];
                    }
                    for (int j = 0; j < d; j++) {
                        v[i][j] -= dot * v[k][j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += v[i][j] * v[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                v[i][j] /= norm;
                out[i][j] = (float) v[i][j];
            }
        }
        return out;
    }

    /** The first {@code n} assigned letters of the Telugu block, from U+0C05. */
    private static List<String> telugu(int n) {
        List<String> out = new ArrayList<>();
        for (int cp = 0x0C05; out.size() < n && cp <= 0x0C7F; cp++) {
            if (Character.isLetter(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                    || Character.getType(cp) == Character.COMBINING_SPACING_MARK) {
                out.add(new String(Character.toChars(cp)));
            }
        }
        if (out.size() < n) {
            throw new IllegalStateException("the Telugu block has only " + out.size() + " letters and signs");
        }
        return List.copyOf(out);
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(String.format(Locale.ROOT, "%s%02d", prefix, i));
        }
        return List.copyOf(out);
    }
}
