package dev.samvaad.examples;

import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.CodePair;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.TextTokens;
import dev.samvaad.io.Words;
import dev.samvaad.model.ModelCheckpoint;
import dev.samvaad.training.PairAnnotations;
import dev.samvaad.training.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Trains the conversation (or reconstruction) model on one or more conversation folders. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the S2S model on conversation folders (codes are encoded once and cached per folder).")
public final class TrainS2SConversation implements Callable<Integer> {

    /** Model sizes: tiny (the default, as in the quickstart) for CPU runs and tests, base and small larger. */
    enum Size { TINY, BASE, SMALL }

    /** What the encoder reads of each question frame ({@code ModelConfig.sourceFeatures}). */
    enum SourceInput { FEATURES, EMBEDDINGS }

    /** How the question's encoder output is pooled ({@code ModelConfig.maxPool}). */
    enum Pool { MEAN, MAX }

    /** What the question summary reads ({@code ModelConfig.intentSummary}). */
    enum SummaryOf { POOLED, INTENT }

    /** Whether the encoder learns to recognise the question's text, and whether the intent head reads it. */
    enum QuestionRecognition { NONE, CTC, BAG }

    /** What the decoder's code rows read: the question too, or only the monologue before them. */
    enum CodesRead { QUESTION, TEXT }

    @Option(names = {"--data_dir", "--data-dir"}, required = true, split = ",",
            description = "Conversation folder(s); several are mixed (e.g. synthetic + your recordings).")
    List<Path> dataDirs;

    @Option(names = "--codec", required = true, description = "Codec checkpoint the codes come from.")
    Path codecFile;

    @Option(names = "--output", required = true, description = "Run folder: best/, last/, metrics.csv, curves.png "
            + "(redrawn every epoch) and a copy of the codec (codec.smvd), so agent, evaluate and web need no --codec.")
    Path output;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--task", defaultValue = "conversation",
            description = "conversation (question -> answer) or reconstruction (utterance -> itself) (default: ${DEFAULT-VALUE}).")
    PairDataset.Task task;

    @Option(names = "--init", description = "Start from this checkpoint's weights (e.g. a reconstruction model).")
    Path init;

    @Option(names = "--resume", description = "Continue the run in --output from its last checkpoint "
            + "(an error when there is none).")
    boolean resume;

    @Option(names = "--overwrite", description = "Delete the run already in --output (checkpoints, metrics, "
            + "curves) and start again. Without --resume or --overwrite, an --output that holds a run is refused.")
    boolean overwrite;

    /** Continue when there is a run to continue, else start one: for the quickstart, which is rerun after a stop. */
    @Option(names = "--resume_if_any", hidden = true)
    boolean resumeIfAny;

    @Option(names = {"--batch_size", "--batch-size"}, defaultValue = "16", description = "Pairs per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = {"--learning_rate", "--learning-rate"}, defaultValue = "3e-3",
            description = "Peak Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warmup", defaultValue = "50", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = {"--max_grad_norm", "--max-grad-norm"}, defaultValue = "1.0",
            description = "Clip the gradients' global L2 norm to this (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = {"--decoder_dropout", "--decoder-dropout"}, defaultValue = "0.3",
            description = "Probability of hiding each teacher-forced answer frame from the decoder, so it learns "
                    + "to read the question (default: ${DEFAULT-VALUE}).")
    double decoderDropout;

    @Option(names = {"--onset_frames", "--onset-frames"}, defaultValue = "15",
            description = "The first answer frames, where the answer is chosen, whose loss counts --onset_weight "
                    + "times (default: ${DEFAULT-VALUE}).")
    int onsetFrames;

    @Option(names = {"--onset_weight", "--onset-weight"}, defaultValue = "10",
            description = "Loss weight of the onset frames; 1 for none (default: ${DEFAULT-VALUE}).")
    float onsetWeight;

    @Option(names = {"--source_dropout", "--source-dropout"}, defaultValue = "0",
            description = "Probability of hiding each question step from the encoder while training (time masking; "
                    + "default: ${DEFAULT-VALUE}).")
    double sourceDropout;

    @Option(names = {"--source_tempo", "--source-tempo"}, defaultValue = "1.25",
            description = "Play each training question up to this factor faster or slower (frames repeated or "
                    + "skipped), for speakers who talk at other rates; 1 = never (default: ${DEFAULT-VALUE}).")
    double sourceTempo;

    @Option(names = {"--source_pitch", "--source-pitch"}, defaultValue = "0",
            description = "Move each training question's pitch by up to this many standard deviations of the "
                    + "codec's pitch values (in the codec's feature space, then quantised again), for speakers who "
                    + "speak higher or lower; 0 = never (default: ${DEFAULT-VALUE}).")
    double sourcePitch;

    @Option(names = {"--text_onset_tokens", "--text-onset-tokens"}, defaultValue = "4",
            description = "The first monologue tokens, where the written answer is chosen, whose loss counts "
                    + "--onset_weight times too (default: ${DEFAULT-VALUE}).")
    int textOnsetTokens;

    @Option(names = {"--select_by", "--select-by"}, defaultValue = "retrieval",
            description = "How best/ is chosen: retrieval (free-running validation retrieval, ties by loss) or loss "
                    + "(default: ${DEFAULT-VALUE}).")
    String selectBy;

    @Option(names = {"--random_embeddings", "--random-embeddings"},
            description = "Start code embeddings at random instead of from the codec's codebooks.")
    boolean randomEmbeddings;

    @Option(names = "--size", defaultValue = "tiny", description = "Model size: tiny, base or small (default: ${DEFAULT-VALUE}, as for quickstart).")
    Size size;

    @Option(names = {"--frame_group", "--frame-group"}, defaultValue = "4",
            description = "Codec frames per model step, read and written together (default: ${DEFAULT-VALUE}; "
                    + "4 = 12.5 steps/s at 50 frames/s).")
    int frameGroup;

    @Option(names = {"--no_text", "--no-text"},
            description = "Do not write the answer's text (meta.json) before its codes: codes only.")
    boolean noText;

    @Option(names = {"--transcribe_question", "--transcribe-question"},
            description = "The monologue first writes the question's text (meta.json), then the answer's.")
    boolean transcribeQuestion;

    @Option(names = {"--no_summary", "--no-summary"},
            description = "Do not add the question's summary (mean encoder output) to every decoder row.")
    boolean noSummary;

    @Option(names = {"--no_intent_loss", "--no-intent-loss"},
            description = "No auxiliary loss classifying the question's intent (meta.json) from its mean encoder output.")
    boolean noIntentLoss;

    @Option(names = {"--no_source_norm", "--no-source-norm"},
            description = "Do not subtract each question's mean from the encoder's input embeddings "
                    + "(with --source_input embeddings).")
    boolean noSourceNorm;

    @Option(names = {"--source_input", "--source-input"}, defaultValue = "features",
            description = "What the encoder reads of each question frame: features (the codec's features of its "
                    + "codes, normalised per question) or embeddings (learned code embeddings) "
                    + "(default: ${DEFAULT-VALUE}).")
    SourceInput sourceInput;

    @Option(names = "--pool", defaultValue = "mean",
            description = "How the question's encoder output is pooled for the summary and the intent loss: mean or "
                    + "max, its maximum over the steps (default: ${DEFAULT-VALUE}).")
    Pool pool;

    @Option(names = {"--summary_of", "--summary-of"}, defaultValue = "intent",
            description = "What the question summary added to every decoder row reads: pooled (the pooled encoder "
                    + "output) or intent (the auxiliary intent head's posterior; needs intents in meta.json, "
                    + "else pooled) (default: ${DEFAULT-VALUE}).")
    SummaryOf summaryOf;

    @Option(names = {"--recognise_question", "--recognise-question"}, defaultValue = "bag",
            description = "Whether the encoder learns to recognise the question's text (meta.json) with a CTC loss: "
                    + "none, ctc, or bag (ctc, and the intent head reads the bag of recognised characters) "
                    + "(default: ${DEFAULT-VALUE}).")
    QuestionRecognition recogniseQuestion;

    @Option(names = {"--codes_read", "--codes-read"}, defaultValue = "text",
            description = "What the decoder's code rows read besides their own past: question (the question and "
                    + "the monologue) or text (only the monologue, which then decides the answer; needs answer "
                    + "texts in meta.json) (default: ${DEFAULT-VALUE}).")
    CodesRead codesRead;

    @Option(names = {"--encoder_layers", "--encoder-layers"},
            description = "Encoder layers (default: the size's: tiny 1, base 3, small 2).")
    Integer encoderLayers;

    @Option(names = {"--decoder_layers", "--decoder-layers"},
            description = "Decoder layers (default: the size's: tiny 1, base 2, small 2).")
    Integer decoderLayers;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"--checkpoint_every", "--checkpoint-every"}, defaultValue = "20",
            description = "Steps between rolling checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new TrainS2SConversation())).execute(args));
    }

    @Override
    public Integer call() {
        if (resume && init != null) {
            throw new IllegalArgumentException("give --resume or --init, not both");
        }
        if (resume && overwrite) {
            throw new IllegalArgumentException("give --resume or --overwrite, not both");
        }
        checkRanges();
        Trainer.Start start = resume ? Trainer.Start.RESUME : overwrite ? Trainer.Start.OVERWRITE
                : resumeIfAny ? Trainer.Start.RESUME_OR_NEW : Trainer.Start.NEW;
        Trainer.checkStart(output, start); // before the codec is loaded and the data encoded
        // Checked before the codec is loaded and the data encoded, which can take minutes.
        Trainer.Options options = new Trainer.Options(epochs, batchSize, learningRate, warmup, seed, checkpointEvery,
                maxGradNorm, decoderDropout, onsetFrames, onsetWeight, sourceDropout, !"loss".equals(selectBy), sourceTempo,
                sourcePitch, textOnsetTokens);
        if (!List.of("retrieval", "loss").contains(selectBy)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--select_by must be retrieval or loss, got "
                    + selectBy);
        }
        if (frameGroup < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--frame_group must be >= 1, got " + frameGroup);
        }
        boolean features = sourceInput == SourceInput.FEATURES;
        if (features && noSourceNorm) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--no_source_norm needs --source_input embeddings (features are always normalised per question)");
        }
        if (encoderLayers != null && encoderLayers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--encoder_layers must be >= 1, got " + encoderLayers);
        }
        if (decoderLayers != null && decoderLayers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--decoder_layers must be >= 1, got " + decoderLayers);
        }
        if (randomEmbeddings && features) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--random_embeddings needs --source_input embeddings (features are the codec's)");
        }
        if (randomEmbeddings && !(noText && noIntentLoss)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--random_embeddings needs --no_text and --no_intent_loss (the monologue model starts from the codec's codebooks)");
        }
        try (StopNotice notice = StopNotice.install(spec, () -> stopMessage(Files.isDirectory(output.resolve("last"))
                || Files.isDirectory(output.resolve("best"))))) {
            return train(start, options, features);
        }
    }

    /**
     * What {@code train} prints when it is stopped (Ctrl-C): the command that continues the run from
     * its last checkpoint, or, before the first checkpoint, the same command again.
     */
    String stopMessage(boolean checkpointSaved) {
        return checkpointSaved
                ? "train: stopped; continue from the last checkpoint in " + output + " with: "
                        + StopNotice.commandLine(spec, Set.of("--resume", "--overwrite", "--resume_if_any", "--init"),
                                "--resume")
                : "train: stopped before the first checkpoint; start again with: "
                        + StopNotice.commandLine(spec, Set.of());
    }

    /**
     * Says why an option the user gave does not apply to this data set. The defaults
     * ({@code --codes_read text}, {@code --recognise_question bag}, {@code --summary_of intent})
     * fall back quietly on data without texts or intents (recordings with no transcript).
     */
    private void notice(String option, String line) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
            spec.commandLine().getOut().println(line);
        }
    }

    private int train(Trainer.Start start, Trainer.Options options, boolean features) {
        RvqCodec codec = RvqCodec.load(codecFile);
        Map<String, String> texts = new HashMap<>(), intents = new HashMap<>(), questions = new HashMap<>();
        PairDataset data = load(dataDirs, codec, task, texts, intents, questions, transcribeQuestion);
        ModelConfig config = config(size, codec.codebooks(), codec.codebookSize()).withGrouping(frameGroup, !noSourceNorm);
        if (features) {
            config = config.withSourceFeatures(codec.codeVectors()[0][0].length);
        }
        if (encoderLayers != null) {
            config = config.withEncoderLayers(encoderLayers);
        }
        if (decoderLayers != null) {
            config = config.withDecoderLayers(decoderLayers);
        }
        config = config.withMaxPool(pool == Pool.MAX);
        if (!noText && task == PairDataset.Task.CONVERSATION && !texts.isEmpty()) {
            List<String> train = data.pairs(Split.TRAIN).stream().map(p -> texts.get(p.id())).filter(t -> t != null).toList();
            config = config.withText(TextTokens.inventory(train));
        }
        List<String> intentNames = noIntentLoss || task != PairDataset.Task.CONVERSATION ? List.of()
                : data.pairs(Split.TRAIN).stream().map(p -> intents.get(p.id())).filter(i -> i != null).distinct()
                        .sorted().toList();
        config = config.withSummary(!noSummary, intentNames);
        if (codesRead == CodesRead.TEXT) {
            if (config.hasText()) {
                config = config.withCodesReadTextOnly(true);
            } else {
                notice("--codes_read", "--codes_read text needs a monologue (answer texts in meta.json); "
                        + "the code rows read the question");
            }
        }
        if (summaryOf == SummaryOf.INTENT) {
            if (config.summary() && !intentNames.isEmpty()) {
                config = config.withIntentSummary(true);
            } else {
                notice("--summary_of", "--summary_of intent needs a summary and intents in meta.json; "
                        + "the summary reads the pooled encoder output");
            }
        }
        if (recogniseQuestion != QuestionRecognition.NONE) {
            List<String> spoken = data.pairs(Split.TRAIN).stream().map(p -> questions.get(p.id())).filter(t -> t != null)
                    .map(TextTokens::spoken).toList();
            boolean bag = recogniseQuestion == QuestionRecognition.BAG && !config.intents().isEmpty();
            if (spoken.isEmpty()) {
                notice("--recognise_question", "--recognise_question needs question texts in meta.json; the encoder "
                        + "trains without recognising the question");
            } else {
                if (recogniseQuestion == QuestionRecognition.BAG && !bag) {
                    notice("--recognise_question", "--recognise_question bag needs intents in meta.json (and the "
                            + "intent loss); the encoder recognises the question without an intent head reading it");
                }
                config = config.withQuestionSymbols(TextTokens.inventory(spoken), bag);
            }
        }
        var out = spec.commandLine().getOut();
        out.println(describe(data.pairs().size(), task, size, config));
        out.flush();
        Trainer trainer = config.hasText() || !intentNames.isEmpty() || config.recognisesQuestion()
                ? new Trainer(data, config, codec, new PairAnnotations(texts, intents, questions), output, options)
                : randomEmbeddings ? new Trainer(data, config, codec.fingerprint(), output, options)
                : new Trainer(data, config, codec, output, options);
        if (randomEmbeddings) {
            // The trainers given the codec keep it in the run folder themselves; this one has its fingerprint only.
            codec.save(output.resolve(ModelFolder.CODEC_FILE));
        }
        Trainer.Result result = trainer.run(start, init);
        out.printf(Locale.ROOT, "%s; best validation loss %.4f; best model %s, last %s; codec %s; metrics %s%s%n",
                Words.count(result.steps(), "step"), result.bestValidationLoss(), result.best(), result.last(),
                output.resolve(ModelFolder.CODEC_FILE), output.resolve("metrics.csv"),
                result.peakResidentBytes().isPresent()
                        ? "; peak resident memory " + (result.peakResidentBytes().getAsLong() >> 20) + " MB" : "");
        return 0;
    }

    /**
     * The data and model in words: {@code 800 conversation pairs; model tiny: 1.2 M parameters,
     * width 64, 1 encoder + 1 decoder layer, 4 frames per step, 4 x 256 codes per frame, text
     * monologue of 40 symbols, 15 intents} ({@link ModelConfig#describe}).
     */
    static String describe(int pairs, PairDataset.Task task, Size size, ModelConfig config) {
        return Words.count(pairs, task.name().toLowerCase(Locale.ROOT) + " pair") + "; model "
                + size.name().toLowerCase(Locale.ROOT) + ": " + config.describe();
    }

    /** The flags {@link Trainer.Options} checks again, each refused here by the name the user typed. */
    private void checkRanges() {
        new Flags(spec).atLeast("--epochs", epochs, 1).atLeast("--batch_size", batchSize, 1)
                .positive("--learning_rate", learningRate).finite("--learning_rate", learningRate).atLeast("--warmup", warmup, 0)
                .atLeast("--checkpoint_every", checkpointEvery, 1).positive("--max_grad_norm", maxGradNorm)
                .fraction("--decoder_dropout", decoderDropout).atLeast("--onset_frames", onsetFrames, 0)
                .atLeast("--onset_weight", onsetWeight, 1).fraction("--source_dropout", sourceDropout)
                .between("--source_tempo", sourceTempo, 1, 2).between("--source_pitch", sourcePitch, 0, 3)
                .atLeast("--text_onset_tokens", textOnsetTokens, 0);
    }

    static ModelConfig config(Size size, int codebooks, int codebookSize) {
        return switch (size) {
            case TINY -> ModelConfig.tiny(codebooks, codebookSize);
            case BASE -> new ModelConfig(codebooks, codebookSize, 128, 4, 3, 2, 256, 400);
            case SMALL -> ModelConfig.small(codebooks, codebookSize);
        };
    }

    /** Codes of every folder (cached in {@code <folder>/.codes}), mixed into one data set. */
    static PairDataset load(List<Path> dirs, RvqCodec codec, PairDataset.Task task) {
        return load(dirs, codec, task, new HashMap<>(), new HashMap<>(), new HashMap<>(), false);
    }

    /**
     * {@link #load(List, RvqCodec, PairDataset.Task)}, putting each pair's answer text (or the question's
     * text then the answer's, with {@code transcribe}), intent and question text (meta.json) into the maps.
     */
    static PairDataset load(List<Path> dirs, RvqCodec codec, PairDataset.Task task, Map<String, String> texts,
            Map<String, String> intents, Map<String, String> questions, boolean transcribe) {
        List<CodePair> all = new ArrayList<>();
        int workers = Runtime.getRuntime().availableProcessors();
        for (Path dir : dirs) {
            ConversationCorpus corpus = ConversationCorpus.open(dir);
            CodeCache cache = new CodeCache(dir.resolve(".codes"), codec);
            PairDataset one = task == PairDataset.Task.CONVERSATION ? PairDataset.conversation(corpus, cache, workers)
                    : PairDataset.reconstruction(corpus, cache, workers);
            String prefix = dirs.size() > 1 ? dir.getFileName() + "/" : "";
            for (ConversationPair pair : corpus.pairs()) {
                pair.meta().ifPresent(m -> {
                    texts.put(prefix + pair.id(), transcribe ? TextTokens.transcriptThenAnswer(m.question(), m.answer())
                            : m.answer());
                    intents.put(prefix + pair.id(), m.intent());
                    if (m.question() != null && !m.question().isBlank()) {
                        questions.put(prefix + pair.id(), m.question());
                    }
                });
            }
            one.pairs().forEach(p -> all.add(new CodePair(prefix + p.id(), p.split(), p.input(), p.target())));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no usable conversation pairs in " + dirs);
        }
        return PairDataset.of(all, codec.codebooks(), codec.codebookSize(), task);
    }
}
