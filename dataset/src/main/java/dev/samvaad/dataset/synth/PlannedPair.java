package dev.samvaad.dataset.synth;

import dev.samvaad.dataset.Split;

/**
 * What pair number {@code index} of a generated data set will hold, decided by the seed alone
 * (so reruns and parallel workers agree).
 *
 * @param index     0-based pair number; the folder is {@code conv_<index+1>}
 * @param split     its evaluation split
 * @param text      question, corpus answer, intent, wording and slot values
 * @param userVoice the user-side speaker
 */
record PlannedPair(int index, Split split, QaPair text, Voice userVoice) {

    /** The pair's folder name, e.g. {@code conv_000001}. */
    public String folderName() {
        return folderName(index);
    }

    /** The folder name of pair {@code index}, e.g. {@code conv_000001} for 0. */
    static String folderName(int index) {
        return String.format("conv_%06d", index + 1);
    }
}
