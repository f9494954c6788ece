package dev.samvaad.eval;

import dev.samvaad.codec.CodeLayout;
import dev.samvaad.dataset.Split;
import java.util.Objects;

/**
 * One question of an evaluation set with the answer the model should give. As with any record
 * holding arrays, the arrays are shared, not copied, and {@link #equals(Object)} compares them by
 * identity.
 *
 * @param id                   names the item in reports and sample file names, e.g. {@code conv_000042}
 * @param split                the evaluation split the item belongs to
 * @param questionCodes        the user's question as codec codes {@code [Q][T]}
 * @param answerCodes          the reference answer as codec codes {@code [Q][T]}
 * @param referenceAnswerAudio the reference answer as mono PCM at the codec's sample rate
 * @param answerText           what the answer says; items with the same text share one reference in
 *                             retrieval
 * @param intent               the corpus intent of the pair, for the per-intent figures
 * @param questionText         what the question says (meta.json), or {@code null} when unknown
 */
public record EvalItem(String id, Split split, int[][] questionCodes, int[][] answerCodes,
                       float[] referenceAnswerAudio, String answerText, String intent, String questionText) {

    /**
     * An item without an intent (reported under {@code "-"}).
     *
     * @param id                   names the item in reports and sample file names
     * @param split                the evaluation split the item belongs to
     * @param questionCodes        the user's question as codec codes {@code [Q][T]}
     * @param answerCodes          the reference answer as codec codes {@code [Q][T]}
     * @param referenceAnswerAudio the reference answer as mono PCM at the codec's sample rate
     * @param answerText           what the answer says
     */
    public EvalItem(String id, Split split, int[][] questionCodes, int[][] answerCodes, float[] referenceAnswerAudio,
            String answerText) {
        this(id, split, questionCodes, answerCodes, referenceAnswerAudio, answerText, "-", null);
    }

    /**
     * An item whose question text is unknown.
     *
     * @param id                   names the item in reports and sample file names
     * @param split                the evaluation split the item belongs to
     * @param questionCodes        the user's question as codec codes {@code [Q][T]}
     * @param answerCodes          the reference answer as codec codes {@code [Q][T]}
     * @param referenceAnswerAudio the reference answer as mono PCM at the codec's sample rate
     * @param answerText           what the answer says
     * @param intent               the corpus intent of the pair
     */
    public EvalItem(String id, Split split, int[][] questionCodes, int[][] answerCodes, float[] referenceAnswerAudio,
            String answerText, String intent) {
        this(id, split, questionCodes, answerCodes, referenceAnswerAudio, answerText, intent, null);
    }

    /**
     * Checks the item; the arrays are not copied.
     *
     * @param id                   names the item in reports and sample file names
     * @param split                the evaluation split the item belongs to
     * @param questionCodes        the user's question as codec codes {@code [Q][T]}
     * @param answerCodes          the reference answer as codec codes {@code [Q][T]}
     * @param referenceAnswerAudio the reference answer as mono PCM at the codec's sample rate
     * @param answerText           what the answer says
     * @param intent               the corpus intent of the pair, for the per-intent figures
     * @param questionText         what the question says, or {@code null} when unknown
     * @throws NullPointerException     if an argument but {@code questionText} is null
     * @throws IllegalArgumentException if a code array has no codebooks, a null or ragged one, or the
     *     reference audio is empty
     */
    public EvalItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(referenceAnswerAudio, "referenceAnswerAudio");
        Objects.requireNonNull(answerText, "answerText");
        Objects.requireNonNull(intent, "intent");
        CodeLayout.requireRectangle("question codes of item " + id, questionCodes);
        CodeLayout.requireRectangle("answer codes of item " + id, answerCodes);
        // The MFCCs of retrieval need at least one sample of reference.
        if (referenceAnswerAudio.length == 0) {
            throw new IllegalArgumentException("item " + id + ": the reference answer audio is empty");
        }
    }

    /** {@return the frames of the reference answer} */
    public int answerFrames() {
        return answerCodes[0].length;
    }
}
