package dev.samvaad.dataset.synth;

import java.util.HashMap;
import java.util.Map;

/**
 * Answers from the dialogue corpus itself: the answer of the intent whose (slot-filled) wording
 * is the question. The default response source; offline and deterministic.
 */
public final class CorpusResponseSource implements ResponseSource {
    private final DialogueCorpus corpus;
    private final Map<String, String> answers;

    /**
     * Answers from {@code corpus}.
     *
     * @param corpus the dialogue corpus whose questions this source can answer
     */
    public CorpusResponseSource(DialogueCorpus corpus) {
        this.corpus = corpus;
        Map<String, String> byQuestion = new HashMap<>();
        for (QaPair pair : corpus.expand()) {
            byQuestion.putIfAbsent(normalise(pair.question()), pair.answer());
        }
        this.answers = Map.copyOf(byQuestion);
    }

    @Override
    public String answer(String question) {
        String answer = answers.get(normalise(question));
        if (answer == null || answer.isBlank()) {
            throw new ResponseSourceException("the question \"" + question + "\" is not in the corpus "
                    + corpus.source() + " or has no answer there; use an LLM (--llm-url) to answer it");
        }
        return answer;
    }

    @Override
    public String describe() {
        return "corpus:" + corpus.source();
    }

    private static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
