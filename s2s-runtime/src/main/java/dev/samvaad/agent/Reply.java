package dev.samvaad.agent;

/**
 * A whole reply, as {@link ConversationAgent#respond} returns it.
 *
 * @param report the turn's codes, outcome and timings
 * @param audio  the reply audio, mono at the codec's sample rate
 */
public record Reply(TurnReport report, float[] audio) {}
