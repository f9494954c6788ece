package dev.samvaad.codec;

/**
 * Per-dimension affine map of vocoder features into the space the quantiser works in:
 * {@code (x - mean) * scale}. The scales carry the feature weights: all band energies share one
 * scale (errors in dB count the same in every band), pitch and periodicity get their own.
 */
record FeatureScaling(float[] mean, float[] scale) {

    FeatureScaling {
        mean = mean.clone();
        scale = scale.clone();
        if (mean.length != scale.length) {
            throw new CodecException("mean has " + mean.length + " values, scale " + scale.length);
        }
        for (float s : scale) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new CodecException("feature scales must be positive and finite, got " + s);
            }
        }
    }

    int size() {
        return mean.length;
    }

    void normalise(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - mean[i]) * scale[i];
        }
    }

    void denormalise(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] / scale[i] + mean[i];
        }
    }

    /**
     * Scaling fitted to training features: means per dimension; one pooled standard deviation for
     * the band energies; pitch and periodicity by their own deviation times their weight.
     */
    static FeatureScaling fit(VocoderConfig config, float[][] features, double pitchWeight, double periodicityWeight) {
        int d = config.featureSize(), bands = config.bandCentres().length;
        double[] sum = new double[d], sumSq = new double[d];
        for (float[] f : features) {
            for (int i = 0; i < d; i++) {
                sum[i] += f[i];
                sumSq[i] += (double) f[i] * f[i];
            }
        }
        int n = Math.max(1, features.length);
        float[] mean = new float[d], scale = new float[d];
        double pooled = 0;
        for (int i = 0; i < d; i++) {
            mean[i] = (float) (sum[i] / n);
            double var = Math.max(1e-12, sumSq[i] / n - mean[i] * (double) mean[i]);
            if (i < bands) {
                pooled += var / bands;
            } else {
                double weight = i == config.logF0Index() ? pitchWeight : periodicityWeight;
                scale[i] = (float) (weight / Math.sqrt(Math.max(var, 1e-6)));
            }
        }
        float bandScale = (float) (1 / Math.sqrt(Math.max(pooled, 1e-6)));
        for (int i = 0; i < bands; i++) {
            scale[i] = bandScale;
        }
        return new FeatureScaling(mean, scale);
    }
}
