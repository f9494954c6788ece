/**
 * Response evaluation by the shared protocol: {@link dev.samvaad.eval.ResponseEvaluator} answers
 * every held-out question of a conversation dataset ({@link dev.samvaad.eval.EvalItem}s), decodes
 * the answers and scores them per split ({@link dev.samvaad.eval.SplitResult}): retrieval accuracy
 * by MFCC-DTW against every distinct reference answer with its chance level, code accuracy, log-mel
 * distance, first-audio latency and real-time factor, gathered in an
 * {@link dev.samvaad.eval.EvaluationReport} (JSON, Markdown, console table).
 */
package dev.samvaad.eval;
