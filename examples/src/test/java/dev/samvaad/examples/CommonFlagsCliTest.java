package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.dataset.PairDataset;
import dev.samvaad.io.Words;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Issue 20 (a new user's session): the flags every command shares, defaults, words, stop notices, doctor. */
class CommonFlagsCliTest {
    @TempDir
    Path dir;

    private final CliCapture cli = new CliCapture();
    private final StringWriter out = cli.out, err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new java.util.LinkedHashMap<>(Samvaad.commandLine().getSubcommands());
        all.remove("help");
        return all;
    }

    @Test
    void everyCommandHasQuietLogLevelAndPrintsTheProjectVersion() {
        assertThat(Samvaad.version()).as("version.properties is filtered by Maven").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(commands()).hasSizeGreaterThan(10);
        for (var command : commands().entrySet()) {
            var spec = command.getValue().getCommandSpec();
            assertThat(spec.findOption("--quiet")).as(command.getKey()).isNotNull();
            assertThat(spec.findOption("--log-level")).as(command.getKey()).isNotNull();
            out.getBuffer().setLength(0);
            assertThat(run(command.getKey(), "-V")).as(command.getKey()).isZero();
            assertThat(out.toString().strip()).as(command.getKey() + " -V").isEqualTo("samvaad " + Samvaad.version());
        }
        out.getBuffer().setLength(0);
        assertThat(run("--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo("samvaad " + Samvaad.version());
    }

    @Test
    void quietAndLogLevelSetSamvaadsLoggersBeforeTheCommandRuns() {
        Logger existing = LoggerFactory.getLogger("dev.samvaad.examples.CommonFlagsCliTest.existing");
        try {
            assertThat(run("doctor", "--quiet")).as(err.toString()).isZero();
            assertThat(existing.isInfoEnabled()).isFalse();
            assertThat(existing.isWarnEnabled()).isTrue();
            assertThat(LoggerFactory.getLogger("dev.samvaad.examples.CommonFlagsCliTest.madeLater").isInfoEnabled()).isFalse();

            assertThat(run("doctor", "--log-level", "DEBUG")).isZero();
            assertThat(existing.isDebugEnabled()).isTrue();
            assertThat(run("doctor", "--log_level", "off")).isZero();
            assertThat(existing.isErrorEnabled()).isFalse();

            assertThat(run("doctor", "--quiet", "--log-level", "info")).isEqualTo(2);
            assertThat(err.toString()).contains("give --quiet or --log-level, not both");
            assertThat(run("doctor", "--log-level", "loud")).isEqualTo(2);
            assertThat(err.toString()).contains("--log-level", "loud");
        } finally {
            assertThat(run("doctor")).isZero(); // the default again: info
        }
        assertThat(existing.isInfoEnabled()).isTrue();
        assertThat(existing.isDebugEnabled()).isFalse();
    }

    @Test
    void libraryChatterIsOffByDefaultButErrorsShow() {
        Logger opMapping = LoggerFactory.getLogger("org.nd4j.imports.converters.ImportClassMapping");
        assertThat(opMapping.isWarnEnabled()).as("Duplicate TF op mapping").isFalse();
        assertThat(opMapping.isErrorEnabled()).isTrue();
        for (String library : List.of("org.nd4j.linalg.factory.Nd4jBackend", "org.bytedeco.javacpp.Loader",
                "org.eclipse.jetty.server.Server")) {
            Logger log = LoggerFactory.getLogger(library);
            assertThat(log.isInfoEnabled()).as(library).isFalse();
            assertThat(log.isWarnEnabled()).as(library).isTrue();
        }
    }

    @Test
    void seedsAndSizesAgreeAcrossCommands() {
        for (var command : commands().entrySet()) {
            var seed = command.getValue().getCommandSpec().findOption("--seed");
            if (seed != null) {
                assertThat(seed.defaultValue()).as(command.getKey() + " --seed").isEqualTo("1");
            }
        }
        assertThat(commands().get("agent").getCommandSpec().findOption("--seed")).isNotNull();
        assertThat(commands().get("train").getCommandSpec().findOption("--size").defaultValue())
                .isEqualTo(commands().get("quickstart").getCommandSpec().findOption("--size").defaultValue())
                .isEqualTo("tiny");
    }

    @Test
    void trainDescribesDataAndModelInWords() {
        var config = TrainS2SConversation.config(TrainS2SConversation.Size.TINY, 4, 256).withGrouping(4, true)
                .withSourceFeatures(12).withSummary(true, List.of("agree", "greeting_hello"));
        String line = TrainS2SConversation.describe(800, PairDataset.Task.CONVERSATION, TrainS2SConversation.Size.TINY,
                config);
        assertThat(line).startsWith("800 conversation pairs; model tiny: ")
                .contains(" parameters, width 64, 1 encoder + 1 decoder layer, 4 frames per step, 4 x 256 codes per "
                        + "frame, reads the codec's features").endsWith(", 2 intents")
                .doesNotContain("ModelConfig", "CONVERSATION", "TINY");
        assertThat(line).isEqualTo("800 conversation pairs; model tiny: " + config.describe());
        assertThat(TrainS2SConversation.describe(1, PairDataset.Task.RECONSTRUCTION, TrainS2SConversation.Size.SMALL,
                TrainS2SConversation.config(TrainS2SConversation.Size.SMALL, 2, 64).withGrouping(1, true)))
                .startsWith("1 reconstruction pair; model small:").contains("decoder layers, 1 frame per step");
        assertThat(Words.count(1, "turn")).isEqualTo("1 turn");
        assertThat(Words.count(0, "turn")).isEqualTo("0 turns");
        assertThat(Words.count(2, "file")).isEqualTo("2 files");
    }

    @Test
    void stopNoticesSayHowToGoOn() {
        var train = new TrainS2SConversation();
        Samvaad.configure(new CommandLine(train)).parseArgs("--data_dir", "d1,d2", "--codec", "c.smvd", "--output",
                dir.resolve("my run").toString(), "--epochs", "3", "--overwrite", "--no-text");
        assertThat(train.stopMessage(true)).startsWith("train: stopped; continue from the last checkpoint")
                .contains("bin/samvaad train --data_dir d1,d2 --codec c.smvd --output '" + dir.resolve("my run") + "'")
                .contains("--epochs 3", "--no-text").endsWith(" --resume").doesNotContain("--overwrite");
        assertThat(train.stopMessage(false)).startsWith("train: stopped before the first checkpoint")
                .contains("--overwrite").doesNotContain("--resume");

        var generate = new GenerateConversationData();
        Samvaad.configure(new CommandLine(generate)).parseArgs("--num-pairs", "20", "--output_dir", "data");
        assertThat(generate.stopMessage()).contains("Run the same command again to continue: "
                + "bin/samvaad generate-data --num-pairs 20 --output_dir data");
    }

    /** A child JVM stopped by a signal (SIGTERM: Process.destroy) prints the notice; one that finishes does not. */
    @Test
    void generateDataStoppedByASignalSaysHowToContinue() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v espeak-ng").start().waitFor() == 0,
                "espeak-ng not installed (apt-get install espeak-ng); .ci/run installs it");
        Path data = dir.resolve("data");
        Path stdout = dir.resolve("out.txt"), stderr = dir.resolve("err.txt");
        Process p = child(stdout, stderr, "generate-data", "--num_pairs", "2000", "--output_dir", data.toString(),
                "--workers", "1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(stdout) && Files.readString(stdout).contains("generating")) && p.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(p.isAlive()).as(Files.readString(stderr)).isTrue();
        Thread.sleep(1000);
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        assertThat(Files.readString(stderr)).contains("generate-data: stopped; the finished pairs in " + data
                + " are kept. Run the same command again to continue: bin/samvaad generate-data --num_pairs 2000");

        Path small = dir.resolve("small");
        Process done = child(stdout, stderr, "generate-data", "--num_pairs", "2", "--output_dir", small.toString());
        assertThat(done.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(done.exitValue()).as(Files.readString(stderr)).isZero();
        assertThat(Files.readString(stderr)).doesNotContain("stopped");
    }

    private static Process child(Path stdout, Path stderr, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.samvaad.examples.Samvaad"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    @Test
    void doctorListsTheVersionAndWhatEachOptionalToolEnables() throws Exception {
        assertThat(run("doctor")).isZero();
        assertThat(out.toString()).contains("samvaad        " + Samvaad.version())
                .containsPattern("opusenc +codec-eval's Opus 6 kbps reference \\(with opusdec\\): ")
                .containsPattern("c2enc +codec-eval's Codec2 3200 reference")
                .containsPattern("chromium +the web demo's browser test")
                .containsPattern("chromedriver +the web demo's browser test");

        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path tool = Files.createFile(bin.resolve("c2enc"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(bin.resolve("opusenc")); // not executable
        assertThat(Doctor.onSearchPath(bin.toString(), "c2enc")).isEqualTo(tool.toString());
        assertThat(Doctor.onSearchPath(bin.toString(), "opusenc")).isNull();
        assertThat(Doctor.onSearchPath(dir + java.io.File.pathSeparator + bin, "chromium", "c2enc")).isEqualTo(tool.toString());
    }
}
