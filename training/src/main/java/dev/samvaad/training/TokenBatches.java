package dev.samvaad.training;

import dev.samvaad.dataset.Batch;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.model.ModelConfig;
import dev.samvaad.model.TokenBatch;

/** Hands the dataset's batches to the model, and checks the two agree on the token layout. */
public final class TokenBatches {
    private TokenBatches() {}

    /** The model's view of a dataset batch (the arrays are shared, not copied). */
    public static TokenBatch of(Batch batch) {
        return new TokenBatch(batch.encoderInput(), batch.encoderMask(), batch.decoderInput(), batch.labels(),
                batch.labelMask());
    }

    /**
     * Fails unless {@code config} reads the codes of {@code data}: same number of codebooks and
     * codebook size (so PAD, BOS and EOS mean the same tokens on both sides).
     */
    public static void requireCompatible(ModelConfig config, PairDataset data) {
        if (config.codebooks() != data.codebooks() || config.codebookSize() != data.codebookSize()) {
            throw new IllegalArgumentException("the model reads " + config.codebooks() + " codebooks of "
                    + config.codebookSize() + " codes, the data has " + data.codebooks() + " of " + data.codebookSize());
        }
    }
}
