package dev.samvaad.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.EndOfTurnPredictor;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.Split;
import dev.samvaad.eval.TurnTakingEvaluator;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightsFile;
import dev.samvaad.io.AtomicFiles;
import dev.samvaad.io.Words;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Turn taking through the agent, the end-of-turn predictor and the fixed hangover side by side:
 * per question (of a data set made with {@code generate-data --pauses}), the latency the user
 * perceives (last speech sample to first reply audio) and whether the reply cut into the turn.
 */
@Command(name = "evaluate-turns", mixinStandardHelpOptions = true,
        description = "Turn-taking evaluation through the agent: user-perceived latency (last speech sample -> first "
                + "reply audio) and cut-ins (a reply inside the user's turn) per question of a data set made with "
                + "generate-data --pauses, with the end-of-turn predictor and with the fixed hangover in the same run "
                + "(JSON report + Markdown table).")
public final class EvaluateTurns implements Callable<Integer> {

    @Option(names = "--codec", description = ModelCodec.HELP)
    Path codecFile;

    @Option(names = {"--s2s", "--model"}, required = true,
            description = "S2S model folder (e.g. RUN/best), or a training run folder (its best/ is used).")
    Path modelDir;

    @Option(names = {"--data_dir", "--data-dir"}, required = true,
            description = "A conversation folder made with generate-data --pauses.")
    Path dataDir;

    @Option(names = "--split", split = ",", defaultValue = "test-voice",
            description = "Splits to evaluate (default: ${DEFAULT-VALUE}: held-out voices).")
    List<String> splitIds;

    @Option(names = "--report", required = true, description = "JSON report; a .md table goes beside it.")
    Path report;

    @Option(names = "--overwrite", description = "Replace an existing --report.")
    boolean overwrite;

    @Option(names = {"--max_files", "--max-files"}, defaultValue = "2147483647",
            description = "At most this many questions (default: all).")
    int maxFiles;

    @Option(names = {"--chunk_ms", "--chunk-ms"}, defaultValue = "20", description = "Audio pushed per call, ms (default: ${DEFAULT-VALUE}).")
    int chunkMs;

    @Option(names = "--warmup", defaultValue = "2",
            description = "Answer the first question this many times with each agent before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** The end-of-turn flags choose the predictor; --hangover_ms is the fixed hangover beside it. */
    @CommandLine.Mixin
    AgentFlags agentFlags;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new EvaluateTurns())).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        new Flags(spec).atLeast("--max_files", maxFiles, 1).atLeast("--chunk_ms", chunkMs, 1).atLeast("--warmup", warmup, 0);
        EnumSet<Split> splits = EnumSet.noneOf(Split.class);
        for (String id : splitIds) {
            try {
                splits.add(Split.fromId(id));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--split: " + e.getMessage(), e);
            }
        }
        if (Files.exists(report) && !overwrite) {
            throw new IllegalArgumentException(report + " exists; use another --report or --overwrite to replace it");
        }
        if (agentFlags.endOfTurn == AgentFlags.EndOfTurn.HANGOVER) {
            throw new IllegalArgumentException("evaluate-turns compares the predictor with the fixed hangover: "
                    + "leave out --end_of_turn hangover");
        }
        AgentOptions options = agentFlags.options(spec);
        agentFlags.endOfTurn = AgentFlags.EndOfTurn.PREDICTOR;
        Path codecFile = ModelCodec.of(this.codecFile, modelDir);
        Path predictorFile = agentFlags.predictorFile(codecFile, modelDir, line -> { });
        List<TurnTakingEvaluator.Item> items = TurnTakingEvaluator.items(ConversationCorpus.open(dataDir), splits, maxFiles);
        RvqCodec codec = RvqCodec.load(codecFile);
        EndOfTurnPredictor predictor = EndOfTurnPredictor.load(predictorFile, codec);
        Path modelFolder = ModelFolder.resolve(modelDir);
        WeightsFile.Loaded loaded = WeightsFile.read(modelFolder, codec.fingerprint(), codecFile);
        FastDecoder decoder = FastDecoder.of(loaded.config(), loaded.weights());
        TurnTakingEvaluator evaluator = new TurnTakingEvaluator(chunkMs, warmup);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s from %s (%s), %s%n", Words.count(items.size(), "question"), dataDir,
                String.join(",", splitIds), predictor);
        out.flush();
        Map<String, List<TurnTakingEvaluator.Outcome>> results = new LinkedHashMap<>();
        String fixed = "fixed " + agentFlags.hangoverMs + " ms hangover";
        try (ConversationAgent agent = new ConversationAgent(codec, decoder, options, null, predictor)) {
            results.put("predictor", evaluator.run(agent, items));
        }
        try (ConversationAgent agent = new ConversationAgent(codec, decoder, options, null, null)) {
            results.put(fixed, evaluator.run(agent, items));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("codec", codecFile.toString());
        settings.put("s2s", modelFolder.toString());
        settings.put("dataDir", dataDir.toString());
        settings.put("split", splitIds);
        settings.put("questions", items.size());
        settings.put("endOfTurnModel", predictorFile.toString());
        settings.put("threshold", Double.isNaN(options.endOfTurn().threshold()) ? predictor.threshold()
                : options.endOfTurn().threshold());
        settings.put("minSilenceMs", options.endOfTurn().minSilenceMs() > 0 ? options.endOfTurn().minSilenceMs()
                : predictor.config().minSilenceMs());
        settings.put("maxSilenceMs", options.endOfTurn().maxSilenceMs());
        settings.put("fixedHangoverMs", agentFlags.hangoverMs);
        settings.put("chunkMs", chunkMs);
        settings.put("warmup", warmup);
        settings.put("fed", "as fast as read, in chunks of chunkMs");
        AtomicFiles.write(report, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(TurnTakingEvaluator.toJson(settings, results)));
        String table = TurnTakingEvaluator.toMarkdown(results);
        Path markdown = report.resolveSibling(report.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        AtomicFiles.write(markdown, table.getBytes(StandardCharsets.UTF_8));
        out.print(table);
        out.printf("report %s, table %s%n", report, markdown);
        out.flush();
        return 0;
    }
}
