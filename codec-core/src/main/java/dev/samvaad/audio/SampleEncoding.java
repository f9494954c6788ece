package dev.samvaad.audio;

/** How each sample of a WAV file is stored, with the sample sizes WAV allows for each. */
public enum SampleEncoding {
    /** Unsigned integers with a bias of 128; WAV uses this for 8-bit PCM only. */
    PCM_UNSIGNED(8),
    /** Two's-complement little-endian integers: 16, 24 or 32 bits. */
    PCM_SIGNED(16, 24, 32),
    /** IEEE 754 little-endian floating point: 32 or 64 bits. */
    IEEE_FLOAT(32, 64);

    private final int[] bitsPerSample;

    SampleEncoding(int... bitsPerSample) {
        this.bitsPerSample = bitsPerSample;
    }

    /**
     * @param bits a sample size in bits
     * @return whether WAV files store samples of this encoding with that many bits
     */
    public boolean supports(int bits) {
        for (int supported : bitsPerSample) {
            if (supported == bits) {
                return true;
            }
        }
        return false;
    }
}
