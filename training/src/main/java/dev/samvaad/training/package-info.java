/**
 * Training the speech-to-speech model: {@link dev.samvaad.training.Trainer} runs teacher-forced
 * epochs over a {@link dev.samvaad.dataset.PairDataset} with warm-up/decay Adam, gradient clipping
 * and decoder input dropout, validates after each epoch, keeps the best and a rolling checkpoint,
 * and resumes after a kill exactly where it stopped. {@link dev.samvaad.training.TokenBatches}
 * hands the dataset's batches to the model, for training loops of your own.
 *
 * <pre>{@code
 * Trainer.Result result = new Trainer(data, ModelConfig.small(codec.codebooks(), codec.codebookSize()),
 *         codec.fingerprint(), Path.of("run"), new Trainer.Options(12, 16, 1e-3, 100, 7, 50)).run(false, null);
 * }</pre>
 */
package dev.samvaad.training;
