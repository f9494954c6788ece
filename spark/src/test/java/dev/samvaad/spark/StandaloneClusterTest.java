package dev.samvaad.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.CorpusResponseSource;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.EspeakSynthesizer;
import dev.samvaad.dataset.synth.VoiceBank;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both jobs on a real standalone Spark cluster, every part in its own JVM, all started from the
 * Maven artifacts (no Spark download): a master ({@code org.apache.spark.deploy.master.Master}), a
 * worker ({@code ...deploy.worker.Worker}) that launches executor JVMs, and the driver, which runs
 * {@link SamvaadSpark} as {@code spark-submit} would. The worker's {@code SPARK_HOME} is a folder
 * with an empty {@code jars/}: the executors get Spark and the job from
 * {@code spark.executor.extraClassPath}, the Maven test classpath. Everything listens on
 * 127.0.0.1.
 */
class StandaloneClusterTest {
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static String classpath() throws IOException {
        Path recorded = Path.of("target", "test-classpath.txt");
        assumeTrue(Files.isRegularFile(recorded), "target/test-classpath.txt is written by the Maven build: "
                + "run this test through Maven");
        return String.join(File.pathSeparator, Path.of("target", "classes").toAbsolutePath().toString(),
                Path.of("target", "test-classes").toAbsolutePath().toString(), Files.readString(recorded).strip());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<String> java(String classpath, String... rest) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(Arrays.asList(System.getProperty("samvaad.test.sparkJavaOptions").trim().split("\\s+")));
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.addAll(Arrays.asList(rest));
        return cmd;
    }

    private Process start(List<String> command, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** A driver started in its own JVM, and the file its output goes to. */
    private record Driver(Process process, Path log) {}

    private Driver startDriver(String classpath, String master, String... args) throws IOException {
        Path log = Files.createTempFile(dir, "driver-", ".log");
        List<String> cmd = new ArrayList<>(java(classpath,
                "-Dspark.executor.extraClassPath=" + classpath,
                "-Dspark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector",
                "-Dspark.executor.memory=512m",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dspark.ui.enabled=false",
                "dev.samvaad.spark.SamvaadSpark"));
        cmd.addAll(List.of(args));
        cmd.add("--master");
        cmd.add(master);
        return new Driver(start(cmd, log, Map.of()), log);
    }

    /** Waits for the driver's end; returns its output, failing the test with it when it exits non-zero. */
    private static String await(Driver driver) throws Exception {
        boolean ended = driver.process().waitFor(90, TimeUnit.SECONDS);
        String out = Files.readString(driver.log());
        assertThat(ended).as("the driver ended within 90 s; its output:%n%s", out).isTrue();
        assertThat(driver.process().exitValue()).as("the driver's exit code; its output:%n%s", out).isZero();
        return out;
    }

    private static long completePairs(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (var folders = Files.list(out)) {
            return folders.filter(f -> Files.isRegularFile(f.resolve("meta.json"))).count();
        }
    }

    /** Whether the process is a Spark executor JVM (its command line, read from /proc: it is too long for ProcessHandle.Info). */
    private static boolean isExecutor(ProcessHandle process) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).contains("CoarseGrainedExecutorBackend");
        } catch (IOException e) {
            return false; // ended meanwhile
        }
    }

    /** Kills (SIGKILL) the executor JVMs the worker launched as soon as two pairs are complete; returns how many. */
    private static int killExecutorsMidJob(Process worker, Driver driver, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (driver.process().isAlive() && System.nanoTime() < deadline) {
            if (completePairs(out) >= 2) {
                List<ProcessHandle> executors = worker.descendants().filter(StandaloneClusterTest::isExecutor).toList();
                executors.forEach(ProcessHandle::destroyForcibly);
                return executors.size();
            }
            Thread.sleep(20);
        }
        return 0;
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void generateWithAnExecutorKilledMidJobThenEncodeOnAMasterAndWorkerInTheirOwnJvmsGiveTheSingleMachineBytes() throws Exception {
        assumeTrue(Trees.espeakInstalled(), "espeak-ng is not installed: the cluster test is skipped");
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc to find the executor JVMs in: the cluster test is skipped");
        String cp = classpath();
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        start(java(cp, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort())), dir.resolve("master.log"), Map.of());
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home").resolve("jars")).getParent();
        Path work = Files.createDirectories(dir.resolve("worker"));
        Process worker = start(java(cp, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                "--cores", "2", "--memory", "1g", "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort())),
                dir.resolve("worker.log"), Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13"));

        Path reference = dir.resolve("reference");
        DialogueCorpus corpus = DialogueCorpus.builtIn("te");
        new ConversationGenerator(new ConversationGenerator.Settings(reference, 24, 4, 2, corpus,
                new CorpusResponseSource(corpus), new EspeakSynthesizer(), VoiceBank.espeak("te", 4))).run(null);
        Path out = dir.resolve("cluster");

        Driver generate = startDriver(cp, master, "generate", "--num_pairs", "24", "--seed", "4", "--partitions", "2",
                "--output_dir", out.toUri().toString());
        // An executor lost mid-job, killed with whatever pair it was making half written.
        int killed = killExecutorsMidJob(worker, generate, out);
        String generated = await(generate);

        assertThat(killed).as("executors killed mid-job; the driver said:%n%s", generated).isPositive();
        assertThat(generated).contains("failed: 0").containsPattern("this run: \\d+ generated, \\d+ already complete");
        // Spark ran the lost tasks again on a new executor; no pair is half written, every byte is one machine's.
        assertThat(Trees.files(out)).isEqualTo(Trees.files(reference)).hasSize(1 + 3 * 24);
        try (var executors = Files.walk(work)) {
            assertThat(executors.filter(f -> f.getFileName().toString().equals("stderr")).count())
                    .as("executor folders the worker made").isGreaterThan(1);
        }

        Path codecFile = EncodeJobTest.codec(reference, dir.resolve("codec.smvd"));
        Path single = dir.resolve("single-machine-cache");
        PairDataset.conversation(ConversationCorpus.open(reference), new CodeCache(single, RvqCodec.load(codecFile)), 2);

        String encoded = await(startDriver(cp, master, "encode", "--data_dir", out.toString(), "--codec",
                codecFile.toString()));

        assertThat(encoded).contains("24 pairs in the cache", "failed: 0");
        assertThat(Trees.files(out.resolve(".codes"))).isEqualTo(Trees.files(single)).isNotEmpty();
    }
}
