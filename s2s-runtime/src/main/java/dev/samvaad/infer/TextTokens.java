package dev.samvaad.infer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The answer text of the decoder's monologue as tokens: one per Unicode code point, so any
 * script works (a Telugu vowel sign is its own symbol), with the inventory learned from the
 * training answers ({@link #inventory}) and kept in the model's config.
 */
public final class TextTokens {
    /**
     * Ends the question's transcript in a monologue that writes what was asked before the answer
     * ({@link #transcriptThenAnswer}); a symbol no corpus text uses.
     */
    public static final String QUESTION_END = "\u21D2";

    private final ModelConfig config;
    private final Map<String, Integer> ids = new HashMap<>();

    /**
     * The tokens of a model's text.
     *
     * @param config a config with text symbols
     * @throws IllegalArgumentException if the config has no text monologue
     */
    public TextTokens(ModelConfig config) {
        if (!config.hasText()) {
            throw new IllegalArgumentException("the model has no text monologue");
        }
        this.config = config;
        for (int i = 0; i < config.textSymbols().size(); i++) {
            ids.put(config.textSymbols().get(i), ModelConfig.TEXT_SYMBOLS + i);
        }
    }

    /**
     * The distinct code points of {@code texts}, in code point order: the symbols of a model's
     * monologue.
     *
     * @param texts the training answers
     * @return the symbols, each one code point as a string
     */
    public static List<String> inventory(Collection<String> texts) {
        TreeSet<Integer> points = new TreeSet<>();
        for (String text : texts) {
            text.codePoints().forEach(points::add);
        }
        List<String> out = new ArrayList<>();
        for (int p : points) {
            out.add(new String(Character.toChars(p)));
        }
        return out;
    }

    /**
     * What of a question's transcript can be heard: its words (runs of letters and marks) joined by
     * single spaces, punctuation and other spacing dropped, the text the encoder's CTC head
     * learns to recognise ({@link ModelConfig#questionSymbols()}).
     *
     * @param transcript the question's text
     * @return the spoken symbols' text
     */
    public static String spoken(String transcript) {
        return String.join(" ", java.util.Arrays.stream(transcript.split("[^\\p{L}\\p{M}\\p{N}]+"))
                .filter(w -> !w.isEmpty()).toList());
    }

    /**
     * A question's transcript as CTC classes of {@code symbols} (symbol {@code i} is class
     * {@code i + 1}, 0 being the blank), of its {@link #spoken} text; a code point not among the
     * symbols is left out.
     *
     * @param symbols    the model's question symbols
     * @param transcript the question's text
     * @return the classes, possibly empty
     */
    public static int[] ctcClasses(List<String> symbols, String transcript) {
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            ids.put(symbols.get(i), i + 1);
        }
        return spoken(transcript).codePoints().mapToObj(p -> ids.get(new String(Character.toChars(p))))
                .filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).toArray();
    }

    /**
     * A text's tokens, one per code point; a code point outside the inventory is
     * {@link ModelConfig#TEXT_UNKNOWN}.
     *
     * @param text the text
     * @return its tokens
     */
    public int[] encode(String text) {
        return text.codePoints().map(p -> ids.getOrDefault(new String(Character.toChars(p)), ModelConfig.TEXT_UNKNOWN))
                .toArray();
    }

    /**
     * The text of symbol tokens; specials are left out, except unknown ones, shown as U+FFFD.
     *
     * @param tokens text tokens
     * @param length how many of them to read
     * @return the text
     */
    public String decode(int[] tokens, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int t = tokens[i];
            if (t >= ModelConfig.TEXT_SYMBOLS && t < config.textVocabulary()) {
                out.append(config.textSymbols().get(t - ModelConfig.TEXT_SYMBOLS));
            } else if (t == ModelConfig.TEXT_UNKNOWN) {
                out.append('\uFFFD');
            }
        }
        return out.toString();
    }

    /**
     * The monologue of a model that first transcribes the question: the question's text,
     * {@link #QUESTION_END}, then the answer's text.
     *
     * @param question the question's text
     * @param answer   the answer's text
     * @return the monologue
     */
    public static String transcriptThenAnswer(String question, String answer) {
        return question + QUESTION_END + answer;
    }

    /**
     * The answer part of a monologue: what follows the last {@link #QUESTION_END}, or all of it.
     *
     * @param monologue a monologue the model wrote
     * @return its answer text
     */
    public static String answerPart(String monologue) {
        int at = monologue.lastIndexOf(QUESTION_END);
        return at < 0 ? monologue : monologue.substring(at + QUESTION_END.length());
    }
}
