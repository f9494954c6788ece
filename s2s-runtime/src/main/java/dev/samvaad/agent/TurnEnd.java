package dev.samvaad.agent;

/** What ended the user's turn. */
public enum TurnEnd {
    /** The end-of-turn predictor was confident after the minimum silence. */
    PREDICTED,
    /** A hangover of silence passed: the fixed one, or the longest wait of an agent with a predictor. */
    HANGOVER,
    /** The input ended ({@link ConversationSession#finish()}) while the user was speaking. */
    INPUT_END,
    /** The question reached the longest the model takes. */
    LONGEST_QUESTION
}
