package dev.samvaad.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.Split;
import dev.samvaad.eval.EvaluationReport;
import dev.samvaad.eval.ResponseEvaluator;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightsFile;
import dev.samvaad.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Response quality and latency of a trained model on the held-out splits of a conversation folder. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Generate answers for val/test splits with the fast decoder and report retrieval accuracy, "
                + "code accuracy, log-mel distance and latency (JSON + Markdown + sample WAVs).")
public final class EvaluateModel implements Callable<Integer> {

    @Option(names = {"--model", "--s2s"}, required = true,
            description = "Model checkpoint folder (e.g. RUN/best), or a training run folder (its best/, or last/ for a run without a val split).")
    Path modelDir;

    @Option(names = "--codec", description = ModelCodec.HELP)
    Path codecFile;

    @Option(names = {"--data_dir", "--data-dir"}, required = true, description = "Conversation folder.")
    Path dataDir;

    @Option(names = "--report", required = true, description = "JSON report; a .md summary and samples/ go beside it.")
    Path report;

    @Option(names = "--overwrite", description = "Replace an existing --report (and its .md and samples/).")
    boolean overwrite;

    @Option(names = "--samples", defaultValue = "3", description = "Generated answers written as WAV per split (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--split", split = ",", description = "Splits to evaluate (default: every split but train; "
            + "train shows how well the model answers what it learned).")
    java.util.List<String> splitIds;

    @Option(names = {"--max_files", "--max-files"}, defaultValue = "2147483647",
            description = "At most this many items per split (default: all).")
    int maxFiles;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new EvaluateModel())).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        // Every option is checked before anything is loaded or encoded.
        if (samples < 0) {
            throw new IllegalArgumentException("--samples must be >= 0, got " + samples);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("--max_files must be >= 1, got " + maxFiles);
        }
        java.util.EnumSet<Split> splits = java.util.EnumSet.noneOf(Split.class);
        if (splitIds == null) {
            splits.addAll(java.util.EnumSet.complementOf(java.util.EnumSet.of(Split.TRAIN)));
        } else {
            for (String id : splitIds) {
                try {
                    splits.add(Split.fromId(id));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--split: " + e.getMessage(), e);
                }
            }
        }
        if (java.nio.file.Files.exists(report) && !overwrite) {
            throw new IllegalArgumentException(report + " exists; use another --report or --overwrite to replace it "
                    + "(and its .md and samples/)");
        }
        ConversationCorpus corpus = ConversationCorpus.open(dataDir);
        Path modelFolder = ModelFolder.resolve(modelDir);
        Path codecFile = ModelCodec.of(this.codecFile, modelDir);
        RvqCodec codec = RvqCodec.load(codecFile);
        WeightsFile.Loaded loaded = WeightsFile.read(modelFolder, codec.fingerprint(), codecFile);
        FastDecoder decoder = FastDecoder.of(loaded.config(), loaded.weights());
        PairDataset data = PairDataset.conversation(corpus, new CodeCache(dataDir.resolve(".codes"), codec),
                Runtime.getRuntime().availableProcessors());
        Path base = report.toAbsolutePath().getParent();
        ResponseEvaluator evaluator = new ResponseEvaluator(decoder, codec, ResponseEvaluator.Options.defaults()
                .withSamplesPerSplit(samples).withSampleDir(base.resolve("samples")));
        EvaluationReport result = evaluator.evaluate(ResponseEvaluator.items(corpus, data, codec, splits, maxFiles),
                ResponseEvaluator.references(corpus, codec));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", modelFolder.toString());
        settings.put("modelStep", loaded.step());
        settings.put("modelConfig", loaded.config());
        settings.put("codec", codecFile.toString());
        settings.put("dataDir", dataDir.toString());
        settings.put("split", splits.stream().map(Split::id).toList());
        settings.put("maxFiles", maxFiles == Integer.MAX_VALUE ? null : maxFiles);
        AtomicFiles.write(report, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(result.toJson(settings)));
        Path markdown = report.resolveSibling(report.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        AtomicFiles.write(markdown, result.toMarkdown().getBytes(StandardCharsets.UTF_8));
        var out = spec.commandLine().getOut();
        out.println(result.toTable());
        out.printf("report %s, summary %s, samples %s%n", report, markdown, base.resolve("samples"));
        return 0;
    }
}
