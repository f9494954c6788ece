package dev.samvaad.examples;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model the agent runs and its codec: the flags {@code agent} and {@code web} share (a picocli mixin). */
final class AgentModel {

    @Option(names = "--codec", description = ModelCodec.HELP)
    Path codecFile;

    @Option(names = {"--s2s", "--model"}, required = true,
            description = "S2S model folder (e.g. RUN/best), or a training run folder (its best/, or last/ for a run without a val split).")
    Path modelDir;

    /** {@return --codec, or the codec that travels with the model} */
    Path codec() {
        return ModelCodec.of(codecFile, modelDir);
    }

    /** {@return the agent, loaded with {@code predictor} ({@code null} for the fixed hangover)} */
    ConversationAgent load(AgentOptions options, Path predictor) {
        return ConversationAgent.load(codec(), modelDir, options, predictor);
    }
}
