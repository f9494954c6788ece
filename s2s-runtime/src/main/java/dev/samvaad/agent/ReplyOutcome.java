package dev.samvaad.agent;

/** How a reply ended. */
public enum ReplyOutcome {
    /** The model ended the answer (EOS). */
    COMPLETED,
    /** The answer reached the reply length cap (or the model's frame limit) and was cut there. */
    LENGTH_CAPPED,
    /** The user started speaking during the reply, which stopped it. */
    BARGED_IN,
    /** The session was closed during the reply. */
    CANCELLED,
    /** Generation or the listener failed; see {@link ConversationListener#onError}. */
    FAILED
}
