package dev.samvaad.examples;

import dev.samvaad.codec.RvqCodec;
import dev.samvaad.examples.web.WebFixtures;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.model.ModelCheckpoint;
import dev.samvaad.model.ModelInfo;
import dev.samvaad.model.S2sModel;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.schedule.FixedSchedule;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code web} command on a tiny codec and a random model saved as a training run folder. */
class WebDemoCliTest {
    /** A guard against a hang, not a measurement. */
    private static final long WAIT_SECONDS = 120;

    @TempDir
    static Path shared;
    private static Path codecFile;
    private static Path run;
    /** A run folder that keeps its codec, as train writes it. */
    private static Path ownRun;

    private final CliCapture cli = new CliCapture();
    private final StringWriter out = cli.out, err = cli.err;

    @BeforeAll
    static void codecAndModel() {
        RvqCodec codec = WebFixtures.codec();
        codecFile = shared.resolve("codec.smvd");
        codec.save(codecFile);
        run = shared.resolve("run");
        ModelCheckpoint.save(run.resolve("best"),
                S2sModel.fromWeights(WebFixtures.CONFIG, WebFixtures.weights(3), new FixedSchedule(1e-3)),
                new ModelInfo("conversation", codec.fingerprint(), 0, Map.of()));
        ownRun = shared.resolve("own run");
        ModelCheckpoint.save(ownRun.resolve("best"),
                S2sModel.fromWeights(WebFixtures.CONFIG, WebFixtures.weights(3), new FixedSchedule(1e-3)),
                new ModelInfo("conversation", codec.fingerprint(), 0, Map.of()));
        codec.save(ownRun.resolve(ModelFolder.CODEC_FILE));
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void servesThePageUntilStoppedAndPrintsItsAddress() throws Exception {
        AtomicInteger exit = new AtomicInteger(-1);
        // No --codec: the run folder's own codec.smvd.
        Thread server = new Thread(() -> exit.set(run("web", "--s2s", ownRun.toString(),
                "--port", "0", "--max_sessions", "2", "--max-message-kb", "64")), "web-demo-cli");
        server.start();
        Matcher address = awaitOutput(Pattern.compile("open (http://127\\.0\\.0\\.1:(\\d+)/) in a browser"));

        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(address.group(1))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Samvaad", "app.js");
        assertThat(Integer.parseInt(address.group(2))).isPositive();

        server.interrupt();
        server.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(server.isAlive()).isFalse();
        assertThat(exit.get()).as(err.toString()).isZero();
        // The server is gone with the command.
        assertThat(portIsFree(Integer.parseInt(address.group(2)))).isTrue();
    }

    @Test
    void aTakenPortIsAOneLineError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(run("web", "--codec", codecFile.toString(), "--s2s", run.toString(), "--port",
                    String.valueOf(taken.getLocalPort()))).isEqualTo(1);
        }
        assertThat(err.toString().strip()).startsWith("web: cannot listen on 127.0.0.1:").contains("--port 0")
                .doesNotContain("\n");
    }

    @Test
    void aRunWithoutItsCodecNeedsCodec() {
        assertThat(run("web", "--s2s", run.toString(), "--port", "0")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("web: " + run + ": no codec.smvd in the model folder or its run "
                + "folder (a run trained before the codec travelled with the model?); give --codec");
    }

    @Test
    void badFlagsAreOneLineErrorsBeforeTheModelIsLoaded() {
        // The model paths are never read: the flags are checked first.
        String[] base = {"web", "--codec", "missing.smvd", "--s2s", "missing"};
        assertThat(run(concat(base, "--max-sessions", "0"))).isEqualTo(1);
        assertThat(err.toString()).contains("--max-sessions must be at least 1");
        assertThat(run(concat(base, "--port", "70000"))).isEqualTo(1);
        assertThat(err.toString()).contains("--port must be 0..65535");
        assertThat(run(concat(base, "--allow-origin", "example.org"))).isEqualTo(1);
        assertThat(err.toString()).contains("not an origin (scheme://host[:port]): example.org");
        // The agent's flags, named as typed (web shares them with agent).
        assertThat(run(concat(base, "--max-reply-seconds", "0"))).isEqualTo(1);
        assertThat(err.toString()).contains("web: --max-reply-seconds must be > 0, got 0\n");
        assertThat(run(concat(base, "--temperature", "-1"))).isEqualTo(1);
        assertThat(err.toString()).contains("web: --temperature must be >= 0, got -1\n");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("maxReplySeconds");
    }

    @Test
    void helpNamesTheFlags() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("web");
        assertThat(run("web", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--host", "--max-sessions", "--max_sessions", "--allow-origin",
                "--max-message-kb");
    }

    private Matcher awaitOutput(Pattern pattern) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < end) {
            Matcher m = pattern.matcher(out.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the web command printed no address within " + WAIT_SECONDS + " s; out: " + out
                + "\nerr: " + err);
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.isBound();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
