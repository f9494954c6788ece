package dev.samvaad.examples;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.VadOptions;
import dev.samvaad.infer.GenerationOptions;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** How the agent listens and answers: the flags {@code agent} and {@code web} share (a picocli mixin). */
final class AgentFlags {

    @Option(names = {"--max_reply_seconds", "--max-reply-seconds"}, defaultValue = "20", description = "Reply length cap, s (default: ${DEFAULT-VALUE}).")
    double maxReplySeconds;

    @Option(names = {"--hangover_ms", "--hangover-ms"}, defaultValue = "300", description = "Silence that ends the user's turn, ms (default: ${DEFAULT-VALUE}).")
    int hangoverMs;

    @Option(names = {"--min_speech_ms", "--min-speech-ms"}, defaultValue = "120", description = "Voiced audio that starts a turn, ms (default: ${DEFAULT-VALUE}).")
    int minSpeechMs;

    @Option(names = {"--threshold_db", "--threshold-db"}, defaultValue = "-45", description = "Quietest speech, dBFS (default: ${DEFAULT-VALUE}).")
    double thresholdDb;

    @Option(names = {"--no_barge_in", "--no-barge-in"},
            description = "Do not stop a reply when the user speaks (for a speaker the microphone hears without echo cancellation).")
    boolean noBargeIn;

    @Option(names = "--temperature", defaultValue = "0", description = "0 for greedy decoding (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = {"--top_k", "--top-k"}, defaultValue = "0", description = "Sample among the k likeliest codes; 0 for all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}, as for every command).")
    long seed;

    /**
     * The agent's options, every flag checked first and refused by the name the user typed
     * ({@code --max-reply-seconds must be > 0, got 0}), before anything is loaded.
     */
    AgentOptions options(CommandSpec spec) {
        int frameMs = VadOptions.defaults().frameMs();
        new Flags(spec).positive("--max_reply_seconds", maxReplySeconds).finite("--max_reply_seconds", maxReplySeconds)
                .atLeast("--hangover_ms", hangoverMs, frameMs).atLeast("--min_speech_ms", minSpeechMs, frameMs)
                .finite("--threshold_db", thresholdDb).atLeast("--temperature", temperature, 0)
                .atLeast("--top_k", topK, 0);
        VadOptions vad = VadOptions.builder().hangoverMs(hangoverMs).minSpeechMs(minSpeechMs).thresholdDb(thresholdDb).build();
        return AgentOptions.builder().vad(vad).maxReplySeconds(maxReplySeconds).bargeIn(!noBargeIn)
                .generation(GenerationOptions.builder().temperature(temperature).topK(topK).seed(seed).build()).build();
    }

    /** The settings as a report records them. */
    void record(Map<String, Object> settings) {
        settings.put("maxReplySeconds", maxReplySeconds);
        settings.put("hangoverMs", hangoverMs);
        settings.put("minSpeechMs", minSpeechMs);
        settings.put("thresholdDb", thresholdDb);
        settings.put("bargeIn", !noBargeIn);
        settings.put("temperature", temperature);
        settings.put("topK", topK);
        settings.put("seed", seed);
    }
}
