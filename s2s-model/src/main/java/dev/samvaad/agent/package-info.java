/**
 * The realtime conversation agent: {@link dev.samvaad.agent.ConversationAgent} holds one codec and
 * model; each {@link dev.samvaad.agent.ConversationSession} takes a user's audio in chunks, finds
 * the end of each turn with an energy voice activity detector
 * ({@link dev.samvaad.agent.VadOptions}), and streams the spoken reply
 * to a {@link dev.samvaad.agent.ConversationListener}, with a
 * {@link dev.samvaad.agent.TurnReport} of its timings per turn.
 */
package dev.samvaad.agent;
