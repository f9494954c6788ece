package dev.samvaad.research;

import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.Split;
import dev.samvaad.eval.EvalItem;
import dev.samvaad.eval.ResponseEvaluator;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.TextTokens;
import dev.samvaad.metrics.Dtw;
import dev.samvaad.metrics.Mfcc;
import dev.samvaad.model.ModelCheckpoint;
import dev.samvaad.tensor.TensorOps;
import java.nio.file.Path;
import java.util.*;

/**
 * Is the code decoder able to speak an answer whose text it is given? Feeds each item's true
 * answer text as the monologue (an oracle), lets the model generate the codes greedily, and
 * scores retrieval as the evaluator does. Usage: OracleText MODEL CODEC DATA_DIR [PER_SPLIT]
 */
public final class OracleText {
    public static void main(String[] args) throws Exception {
        RvqCodec codec = RvqCodec.load(Path.of(args[1]));
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(ModelFolder.resolve(Path.of(args[0])), codec.fingerprint());
        ModelConfig config = loaded.model().config();
        FastDecoder decoder = FastDecoder.of(config, loaded.model().weights());
        Path data = Path.of(args[2]);
        int perSplit = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        ConversationCorpus corpus = ConversationCorpus.open(data);
        PairDataset dataset = PairDataset.conversation(corpus, new CodeCache(data.resolve(".codes"), codec), 2);
        List<EvalItem> items = ResponseEvaluator.items(corpus, dataset, codec,
                EnumSet.of(Split.VAL, Split.TEST_VOICE, Split.TEST_SLOT), perSplit);
        List<ResponseEvaluator.Reference> refs = ResponseEvaluator.references(corpus, codec);
        Mfcc mfcc = new Mfcc(codec.sampleRate());
        List<float[][]> candidates = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (ResponseEvaluator.Reference r : refs) {
            texts.add(r.text());
            candidates.add(mfcc.normalised(r.audio()));
        }
        TextTokens tokens = new TextTokens(config);
        Map<String, int[]> score = new TreeMap<>();
        for (EvalItem item : items) {
            if (!item.intent().equals("food_like") && item.split() != Split.TEST_SLOT) {
                continue;
            }
            if (Boolean.getBoolean("free")) {
                // What the model writes itself for the question (its own monologue), and the question.
                FastDecoder.Session own = decoder.start(item.questionCodes());
                own.generate(dev.samvaad.infer.GenerationOptions.greedy(), dev.samvaad.infer.FrameListener.none());
                System.out.printf("%s %s wrote='%s' want='%s' asked='%s'%n", item.split().id(), item.id(), own.text(),
                        item.answerText(), item.questionText());
                continue;
            }
            FastDecoder.Session s = decoder.start(item.questionCodes());
            s.stepText(ModelConfig.TEXT_BOS);
            int unknown = 0;
            for (int t : tokens.encode(item.answerText())) {
                unknown += t == ModelConfig.TEXT_UNKNOWN ? 1 : 0;
                s.stepText(t);
            }
            s.stepText(ModelConfig.TEXT_EOT);
            int[][] codes = greedy(s, config, 2 * item.questionCodes()[0].length + 20);
            var dec = codec.newDecoder(codec.codebooks());
            List<float[]> chunks = new ArrayList<>();
            for (int t = 0; t < codes[0].length; t++) {
                int[] f = new int[config.codebooks()];
                for (int c = 0; c < f.length; c++) f[c] = codes[c][t];
                chunks.add(dec.push(f));
            }
            chunks.add(dec.finish());
            int n = chunks.stream().mapToInt(a -> a.length).sum();
            float[] audio = new float[n];
            int o = 0;
            for (float[] a : chunks) { System.arraycopy(a, 0, audio, o, a.length); o += a.length; }
            int nearest = n == 0 ? -1 : Dtw.nearest(mfcc.normalised(audio), candidates);
            boolean right = nearest >= 0 && texts.get(nearest).equals(item.answerText());
            String key = item.split().id() + " " + item.intent();
            score.computeIfAbsent(key, k -> new int[2]);
            score.get(key)[0]++;
            score.get(key)[1] += right ? 1 : 0;
            System.out.printf("%s %s unknown=%d frames=%d/%d right=%s got='%s' want='%s'%n", item.split().id(), item.id(),
                    unknown, codes[0].length, item.answerFrames(), right, nearest < 0 ? "" : texts.get(nearest), item.answerText());
        }
        score.forEach((k, v) -> System.out.printf("%s: %d/%d%n", k, v[1], v[0]));
    }

    /** Greedy codes after the monologue: the first code step is BOS. */
    static int[][] greedy(FastDecoder.Session s, ModelConfig config, int limit) {
        int Q = config.codebooks(), V = config.layout().vocabulary(), G = config.frameGroup(), K = config.codebookSize();
        List<int[]> frames = new ArrayList<>();
        float[] next = s.step(decoderBos(config)).clone();
        int[] fed = new int[config.streams()];
        boolean ended = false;
        while (!ended && frames.size() < limit) {
            for (int g = 0; g < G; g++) {
                int base = g * Q;
                int first = argmaxMasked(next, base * V, V, config);
                if (first == config.layout().eos() || frames.size() >= limit) { ended = true; break; }
                int[] f = new int[Q];
                f[0] = first;
                for (int c = 1; c < Q; c++) f[c] = TensorOps.argmax(next, (base + c) * V, K);
                System.arraycopy(f, 0, fed, base, Q);
                frames.add(f);
            }
            if (!ended && frames.size() < limit) next = s.step(fed).clone();
        }
        int[][] codes = new int[Q][frames.size()];
        for (int t = 0; t < frames.size(); t++) for (int c = 0; c < Q; c++) codes[c][t] = frames.get(t)[c];
        return codes;
    }

    static int[] decoderBos(ModelConfig config) {
        int[] bos = new int[config.streams()];
        Arrays.fill(bos, config.layout().bos());
        return bos;
    }

    static int argmaxMasked(float[] logits, int off, int n, ModelConfig config) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (i == config.layout().pad() || i == config.layout().bos()) continue;
            if (best < 0 || logits[off + i] > logits[off + best]) best = i;
        }
        return best;
    }
}
