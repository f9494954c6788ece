package dev.samvaad.dataset.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The speakers of a generated data set: many user-side speakers (voice variants x rates x
 * pitches), a seeded part of which is held out for the {@code test-voice} split, and one fixed
 * assistant voice.
 *
 * @param userVoices     user-side voice names, e.g. espeak-ng variants {@code "te+m1"}
 * @param rates          user-side speaking rates (words per minute)
 * @param pitches        user-side pitches (0..99)
 * @param assistant      the assistant's one voice
 * @param heldOutVoices  voice names used only in {@code test-voice}
 * @param heldOutRates   rates used only in {@code test-voice}
 */
public record VoiceBank(List<String> userVoices, List<Integer> rates, List<Integer> pitches, Voice assistant,
        Set<String> heldOutVoices, Set<Integer> heldOutRates) {

    /** espeak-ng variants that sound like different people (not the robot or whisper ones). */
    public static final List<String> ESPEAK_VARIANTS = List.of(
            "m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "klatt3");
    /** User-side speaking rates of {@link #espeak}, words per minute. */
    public static final List<Integer> DEFAULT_RATES = List.of(125, 135, 145, 155, 165, 175, 185);
    /** User-side pitches of {@link #espeak}. */
    public static final List<Integer> DEFAULT_PITCHES = List.of(30, 40, 50, 60, 70);

    /**
     * Copies the lists and checks that the held-out voices and rates are proper subsets.
     *
     * @param userVoices    user-side voice names, at least 2
     * @param rates         user-side speaking rates, at least 2
     * @param pitches       user-side pitches, at least 1
     * @param assistant     the assistant's one voice
     * @param heldOutVoices voice names used only in {@code test-voice}
     * @param heldOutRates  rates used only in {@code test-voice}
     * @throws IllegalArgumentException if a list is too short or a held-out set is not a non-empty
     *     proper subset
     */
    public VoiceBank {
        userVoices = List.copyOf(userVoices);
        rates = List.copyOf(rates);
        pitches = List.copyOf(pitches);
        heldOutVoices = Collections.unmodifiableSet(new TreeSet<>(heldOutVoices));
        heldOutRates = Collections.unmodifiableSet(new TreeSet<>(heldOutRates));
        if (userVoices.size() < 2 || rates.size() < 2 || pitches.isEmpty()) {
            throw new IllegalArgumentException("need at least 2 user voices and 2 rates (some are held out for "
                    + "test-voice) and 1 pitch; got " + userVoices + ", " + rates + ", " + pitches);
        }
        if (!userVoices.containsAll(heldOutVoices) || heldOutVoices.isEmpty()
                || heldOutVoices.size() == userVoices.size()) {
            throw new IllegalArgumentException("held-out voices " + heldOutVoices
                    + " must be a non-empty proper subset of " + userVoices);
        }
        if (!rates.containsAll(heldOutRates) || heldOutRates.isEmpty() || heldOutRates.size() == rates.size()) {
            throw new IllegalArgumentException("held-out rates " + heldOutRates + " must be a non-empty proper subset of " + rates);
        }
    }

    /**
     * espeak-ng speakers for {@code language}: every variant in {@link #ESPEAK_VARIANTS} as a user
     * voice, the plain language voice for the assistant, about a fifth of the variants and two
     * rates held out, chosen by {@code seed}.
     *
     * @param language an espeak-ng language, e.g. {@code "te"}
     * @param seed     chooses the held-out voices and rates
     * @return the voice bank
     */
    public static VoiceBank espeak(String language, long seed) {
        List<String> voices = ESPEAK_VARIANTS.stream().map(v -> language + "+" + v).toList();
        return withHoldOut(voices, DEFAULT_RATES, DEFAULT_PITCHES, new Voice(language, 160, 50), seed);
    }

    /**
     * Any engine's voices, with the held-out part chosen by {@code seed}: about a fifth of the
     * voices and a quarter of the rates.
     *
     * @param userVoices user-side voice names
     * @param rates      user-side speaking rates
     * @param pitches    user-side pitches
     * @param assistant  the assistant's voice
     * @param seed       chooses the held-out voices and rates
     * @return the voice bank
     */
    public static VoiceBank withHoldOut(List<String> userVoices, List<Integer> rates, List<Integer> pitches,
            Voice assistant, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5EED_701CEL);
        Set<String> voices = new TreeSet<>(pick(userVoices, Math.max(1, userVoices.size() / 5), rng));
        Set<Integer> heldRates = new TreeSet<>(pick(rates, Math.max(1, rates.size() / 4), rng));
        return new VoiceBank(userVoices, rates, pitches, assistant, voices, heldRates);
    }

    /**
     * Draws a user-side speaker.
     *
     * @param heldOut a held-out voice and rate (for {@code test-voice}) or seen ones
     * @param rng     the draw's random stream
     * @return the speaker
     */
    public Voice userVoice(boolean heldOut, SplittableRandom rng) {
        List<String> names = userVoices.stream().filter(v -> heldOutVoices.contains(v) == heldOut).toList();
        List<Integer> r = rates.stream().filter(v -> heldOutRates.contains(v) == heldOut).toList();
        return new Voice(names.get(rng.nextInt(names.size())), r.get(rng.nextInt(r.size())),
                pitches.get(rng.nextInt(pitches.size())));
    }

    private static <T> List<T> pick(List<T> from, int count, SplittableRandom rng) {
        List<T> pool = new ArrayList<>(from);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(pool.remove(rng.nextInt(pool.size())));
        }
        return out;
    }
}
