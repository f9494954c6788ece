package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samvaad.agent.EndOfTurnPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentFlagsTest {

    @Test
    void thePredictorIsLookedForBesideTheCodecInTheModelAndRunFoldersAndWhereTheQuickstartPutsIt(@TempDir Path dir)
            throws Exception {
        // runs/quickstart/{codec.smvd, end-of-turn.smvd, model/{codec.smvd, best/model.json}}
        Path run = Files.createDirectories(dir.resolve("quickstart/model"));
        Path best = Files.createDirectories(run.resolve("best"));
        Files.writeString(best.resolve("model.json"), "{}");
        Path expected = dir.resolve("quickstart").resolve(EndOfTurnPredictor.FILE_NAME);

        // Given the checkpoint folder or the run folder, with the codec that travels with the run.
        assertThat(AgentFlags.candidates(run.resolve("codec.smvd"), best)).containsExactly(
                run.resolve(EndOfTurnPredictor.FILE_NAME), best.resolve(EndOfTurnPredictor.FILE_NAME), expected);
        assertThat(AgentFlags.candidates(run.resolve("codec.smvd"), run)).containsExactly(
                run.resolve(EndOfTurnPredictor.FILE_NAME), expected);
        // A codec elsewhere comes first.
        assertThat(AgentFlags.candidates(dir.resolve("codecs/c.smvd"), run))
                .startsWith(dir.resolve("codecs").resolve(EndOfTurnPredictor.FILE_NAME)).contains(expected);
    }
}
