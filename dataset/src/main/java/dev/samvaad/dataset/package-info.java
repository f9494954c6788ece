/**
 * Conversation data for training: the on-disk layout and its codes and batches.
 *
 * <p>{@link dev.samvaad.dataset.ConversationCorpus} reads a folder of conversation pairs
 * ({@code conv_000001/user.wav}, {@code assistant.wav}, optional {@code meta.json}, any WAV format);
 * {@link dev.samvaad.dataset.CodeCache} encodes each file once per codec;
 * {@link dev.samvaad.dataset.PairDataset} turns a corpus into {@link dev.samvaad.dataset.CodePair}s
 * (conversation or reconstruction); {@link dev.samvaad.dataset.BatchBuilder} cuts a split into
 * padded, bucketed {@link dev.samvaad.dataset.Batch}es with BOS/EOS tokens
 * ({@link dev.samvaad.codec.CodeLayout}), seeded per epoch.
 *
 * <pre>{@code
 * CodeCache cache = new CodeCache(Path.of("data/code-cache"), codec);
 * PairDataset data = PairDataset.conversation(ConversationCorpus.open(Path.of("data/conversations")), cache, 4);
 * List<Batch> batches = new BatchBuilder(data, Split.TRAIN, BatchBuilder.Options.defaults()).epoch(0);
 * }</pre>
 *
 * <p>This module depends on no native library.
 */
package dev.samvaad.dataset;
