/**
 * The realtime conversation agent: {@link dev.samvaad.agent.ConversationAgent} holds one codec and
 * model; each {@link dev.samvaad.agent.ConversationSession} takes a user's audio in chunks, follows
 * it with an energy voice activity detector ({@link dev.samvaad.agent.VadOptions},
 * {@link dev.samvaad.agent.SpeechTracker}), ends each turn with an end-of-turn predictor
 * ({@link dev.samvaad.agent.EndOfTurnPredictor}, {@link dev.samvaad.agent.EndOfTurnOptions}) or a
 * fixed hangover, and streams the spoken reply to a
 * {@link dev.samvaad.agent.ConversationListener}, with a {@link dev.samvaad.agent.TurnReport} of
 * its timings per turn. Pure Java, like the decoder it runs ({@code s2s-runtime}: no ND4J).
 */
package dev.samvaad.agent;
