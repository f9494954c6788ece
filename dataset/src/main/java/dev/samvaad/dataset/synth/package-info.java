/**
 * Synthetic conversation data: question texts from a {@link dev.samvaad.dataset.synth.DialogueCorpus}
 * (the built-in Telugu corpus, your own corpus file, or a plain question list), answers from a
 * {@link dev.samvaad.dataset.synth.ResponseSource} (the corpus itself, or an OpenAI-compatible
 * chat server through {@link dev.samvaad.dataset.synth.ChatCompletionsResponseSource}), spoken by a
 * {@link dev.samvaad.dataset.synth.SpeechSynthesizer} (espeak-ng, or any command-line TTS) with the
 * voices of a {@link dev.samvaad.dataset.synth.VoiceBank}. The resumable
 * {@link dev.samvaad.dataset.synth.ConversationGenerator} writes the pairs with their held-out
 * splits.
 */
package dev.samvaad.dataset.synth;
