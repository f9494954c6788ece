package dev.samvaad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.audio.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** STOI, log-mel distance and SI-SNR on clean speech and with white noise at 20, 10 and 0 dB SNR. */
class NoiseLadderTest {

    private static final Logger LOG = LoggerFactory.getLogger(NoiseLadderTest.class);
    private static final double[] SNRS_DB = {20.0, 10.0, 0.0};
    private static final String TELUGU_TEXT = "నమస్కారం, మీరు ఎలా ఉన్నారు? ఈ రోజు వాతావరణం చాలా బాగుంది.";

    @Test
    void syntheticSpeechScoresFallAsNoiseRises() {
        assertScoresFallWithNoise("synthetic", TestAudio.speechLike(16_000), 16_000);
    }

    @Test
    void espeakTeluguSpeechScoresFallAsNoiseRises(@TempDir Path directory) throws Exception {
        Path wav = directory.resolve("telugu.wav");
        assumeTrue(espeak(wav), "espeak-ng is not installed or failed");
        var audio = WavReader.read(wav);

        assertScoresFallWithNoise("espeak-ng te", audio.toMono(), audio.sampleRate());
    }

    private static void assertScoresFallWithNoise(String label, float[] clean, int sampleRate) {
        double[] stoi = new double[SNRS_DB.length + 1];
        double[] logMel = new double[SNRS_DB.length + 1];
        double[] siSnr = new double[SNRS_DB.length + 1];
        stoi[0] = Stoi.compute(clean, clean, sampleRate);
        logMel[0] = LogMelDistance.compute(clean, clean, sampleRate);
        siSnr[0] = SiSnr.compute(clean, clean);
        for (int level = 0; level < SNRS_DB.length; level++) {
            float[] noisy = TestAudio.withWhiteNoise(clean, SNRS_DB[level], 42 + level);
            stoi[level + 1] = Stoi.compute(clean, noisy, sampleRate);
            logMel[level + 1] = LogMelDistance.compute(clean, noisy, sampleRate);
            siSnr[level + 1] = SiSnr.compute(clean, noisy);
        }
        LOG.info("{} @ {} Hz, clean / 20 / 10 / 0 dB SNR: STOI {}, log-mel distance {} dB, SI-SNR {} dB",
                label, sampleRate, format(stoi), format(logMel), format(siSnr));

        assertThat(stoi[0]).isGreaterThan(0.99);
        assertThat(logMel[0]).isCloseTo(0.0, within(1e-9));
        assertThat(siSnr[0]).isEqualTo(SiSnr.LIMIT_DB);
        for (int level = 1; level <= SNRS_DB.length; level++) {
            assertThat(stoi[level]).as("STOI at %s dB", SNRS_DB[level - 1]).isLessThan(stoi[level - 1]);
            assertThat(logMel[level]).as("log-mel at %s dB", SNRS_DB[level - 1]).isGreaterThan(logMel[level - 1]);
            assertThat(siSnr[level]).as("SI-SNR at %s dB", SNRS_DB[level - 1])
                    .isLessThan(siSnr[level - 1])
                    .isCloseTo(SNRS_DB[level - 1], within(0.5));
        }
        // Speech in white noise at 0 dB is still partly intelligible, but clearly degraded.
        assertThat(stoi[SNRS_DB.length]).isBetween(0.3, 0.9);
    }

    private static boolean espeak(Path wav) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("espeak-ng", "-v", "te", "-w", wav.toString(), TELUGU_TEXT)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0 && Files.size(wav) > 44;
        } catch (IOException notInstalled) {
            return false;
        }
    }

    private static String format(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.4f", value));
        }
        return text.toString();
    }
}
