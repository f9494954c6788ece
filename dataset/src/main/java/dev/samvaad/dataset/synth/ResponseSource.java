package dev.samvaad.dataset.synth;

/**
 * Produces the assistant's answer text for a user's question text.
 *
 * <p>Implementations must be thread-safe: generation calls them from several workers.
 */
public interface ResponseSource {

    /**
     * Answers a question.
     *
     * @param question the user's question text
     * @return the answer text; never null or blank
     * @throws ResponseSourceException when no answer can be had
     */
    String answer(String question);

    /** {@return a short description for logs and meta.json, e.g. "corpus" or "llm:qwen2.5@http://127.0.0.1:8080/v1"} */
    String describe();
}
