package dev.samvaad.dataset.synth;

import dev.samvaad.dataset.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides every pair of a generated data set from the seed: its split, intent, wording, slot
 * values and speaker. Pair {@code i} depends only on the seed and {@code i}, never on how many pairs
 * are made, so a larger rerun extends a smaller one and workers can plan pairs independently.
 *
 * <p>Held out by the seed before anything is planned: one wording of each intent with two or
 * more ({@code test-paraphrase} only), about a fifth of each slot list ({@code test-slot} only),
 * and the {@link VoiceBank}'s held-out voices and rates ({@code test-voice} only). Every block of
 * 20 consecutive pairs holds 16 {@code train}, 1 {@code val} and 1 of each test split, in seeded
 * order; a test split the corpus cannot support (no slot intents, single wordings) becomes train.
 */
final class PairPlanner {
    static final int BLOCK = 20;
    private static final Split[] BLOCK_PATTERN = blockPattern();

    private final DialogueCorpus corpus;
    private final VoiceBank voices;
    private final long seed;
    private final Map<String, Integer> heldOutWording;
    private final Map<String, Set<String>> heldOutSlotValues;
    private final List<Intent> paraphraseIntents;
    private final List<Intent> slotTestIntents;

    public PairPlanner(DialogueCorpus corpus, VoiceBank voices, long seed) {
        this.corpus = corpus;
        this.voices = voices;
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Integer> wordings = new TreeMap<>();
        for (Intent intent : corpus.intents()) {
            if (intent.questions().size() >= 2) {
                wordings.put(intent.id(), rng.nextInt(intent.questions().size()));
            }
        }
        Map<String, Set<String>> slots = new TreeMap<>();
        corpus.slotValues().keySet().stream().sorted().forEach(kind -> {
            List<String> values = corpus.slotValues().get(kind);
            if (values.size() >= 2) {
                List<String> pool = new ArrayList<>(values);
                Set<String> held = new TreeSet<>();
                for (int i = 0; i < Math.max(1, values.size() / 5); i++) {
                    held.add(pool.remove(rng.nextInt(pool.size())));
                }
                slots.put(kind, Collections.unmodifiableSet(held));
            }
        });
        this.heldOutWording = Collections.unmodifiableMap(wordings);
        this.heldOutSlotValues = Collections.unmodifiableMap(slots);
        this.paraphraseIntents = corpus.intents().stream().filter(i -> wordings.containsKey(i.id())).toList();
        this.slotTestIntents = corpus.intents().stream()
                .filter(i -> i.hasSlots() && slots.keySet().containsAll(i.slots().values())).toList();
    }

    /** The plan of pair {@code index}. */
    public PlannedPair plan(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("pair index must be >= 0, got " + index);
        }
        Split split = splitOf(index);
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        return switch (split) {
            case TEST_PARAPHRASE -> {
                Intent intent = paraphraseIntents.get(rng.nextInt(paraphraseIntents.size()));
                yield pair(index, split, intent, heldOutWording.get(intent.id()), false, false, rng);
            }
            case TEST_SLOT -> {
                Intent intent = slotTestIntents.get(rng.nextInt(slotTestIntents.size()));
                yield pair(index, split, intent, seenWording(intent, rng), true, false, rng);
            }
            default -> {
                Intent intent = corpus.intents().get(rng.nextInt(corpus.intents().size()));
                yield pair(index, split, intent, seenWording(intent, rng), false, split == Split.TEST_VOICE, rng);
            }
        };
    }

    /** Intent id -> index of its wording held out for {@code test-paraphrase}. */
    public Map<String, Integer> heldOutWordings() {
        return heldOutWording;
    }

    /** Slot kind -> values held out for {@code test-slot}. */
    public Map<String, Set<String>> heldOutSlotValues() {
        return heldOutSlotValues;
    }

    Split splitOf(int index) {
        int block = index / BLOCK;
        Split[] order = BLOCK_PATTERN.clone();
        SplittableRandom rng = new SplittableRandom(mix(seed ^ 0xB10CL, block));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Split t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Split split = order[index % BLOCK];
        boolean unsupported = (split == Split.TEST_PARAPHRASE && paraphraseIntents.isEmpty())
                || (split == Split.TEST_SLOT && slotTestIntents.isEmpty());
        return unsupported ? Split.TRAIN : split;
    }

    private PlannedPair pair(int index, Split split, Intent intent, int wording, boolean heldOutSlots,
            boolean heldOutVoice, SplittableRandom rng) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> slot : intent.slots().entrySet()) {
            List<String> choices = slotChoices(slot.getValue(), heldOutSlots);
            values.put(slot.getKey(), choices.get(rng.nextInt(choices.size())));
        }
        return new PlannedPair(index, split, intent.pair(wording, new HashMap<>(values)),
                voices.userVoice(heldOutVoice, rng));
    }

    private List<String> slotChoices(String kind, boolean heldOut) {
        Set<String> held = heldOutSlotValues.getOrDefault(kind, Set.of());
        return corpus.slotValues().get(kind).stream().filter(v -> held.contains(v) == heldOut).toList();
    }

    private int seenWording(Intent intent, SplittableRandom rng) {
        Integer held = heldOutWording.get(intent.id());
        int n = intent.questions().size();
        if (held == null) {
            return rng.nextInt(n);
        }
        int w = rng.nextInt(n - 1);
        return w >= held ? w + 1 : w;
    }

    private static Split[] blockPattern() {
        List<Split> pattern = new ArrayList<>();
        for (int i = 0; i < BLOCK - 4; i++) {
            pattern.add(Split.TRAIN);
        }
        pattern.addAll(List.of(Split.VAL, Split.TEST_VOICE, Split.TEST_PARAPHRASE, Split.TEST_SLOT));
        return pattern.toArray(Split[]::new);
    }

    /** SplitMix64 of (seed, index): independent streams per pair. */
    static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
