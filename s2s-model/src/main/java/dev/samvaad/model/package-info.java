/**
 * The speech-to-speech model: an encoder-decoder transformer over codec codes.
 *
 * <p>{@link dev.samvaad.infer.ModelConfig} gives its shape and token layout (the K codes plus PAD,
 * BOS and EOS per codebook); {@link dev.samvaad.model.S2sModel} is the trainable SameDiff graph
 * (teacher-forced steps on {@link dev.samvaad.model.TokenBatch}es with Adam and gradient clipping);
 * {@link dev.samvaad.model.ModelCheckpoint} saves and loads it as a checksummed folder that records
 * the codec it was trained with ({@link dev.samvaad.model.ModelInfo}) and refuses any other, and
 * writes into it the weights the pure-Java decoder of {@code s2s-runtime} reads
 * ({@link dev.samvaad.infer.WeightsFile}). {@link dev.samvaad.infer.WeightNames} is the parameter
 * contract shared with that decoder.
 *
 * <pre>{@code
 * S2sModel model = S2sModel.create(ModelConfig.small(codec.codebooks(), codec.codebookSize()), 7, 1e-3);
 * double loss = model.trainStep(batch);
 * ModelCheckpoint.save(Path.of("run/best"), model, new ModelInfo("conversation", codec.fingerprint(), model.steps(), Map.of()));
 * }</pre>
 *
 * <p>This package runs on ND4J (SameDiff); the backend (CPU by default) comes with the
 * {@code s2s-model} artifact.
 */
package dev.samvaad.model;
