package dev.samvaad.examples.web;

import static dev.samvaad.examples.web.SocketClient.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.ReplyOutcome;
import dev.samvaad.agent.TurnReport;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web demo's server through a plain WebSocket client: protocol, origin check, bounds, disconnects. */
class WebServerTest {
    /** Replies of 1 s: 50 frames. */
    private static final double REPLY_SECONDS = 1.0;
    private static final int MIC_RATE = 48_000;

    private static ConversationAgent agent;
    private VoiceServer server;

    @BeforeAll
    static void agent() {
        agent = WebFixtures.agent(REPLY_SECONDS);
    }

    @AfterAll
    static void closeAgent() {
        agent.close();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private VoiceServer start(VoiceServer.Options options, VoiceServer.Monitor monitor) {
        server = VoiceServer.start(agent, options.withPort(0), monitor);
        return server;
    }

    private static float[] question() {
        return WebFixtures.question(350, 0.3, 0.8, 0.8, MIC_RATE);
    }

    @Test
    void aTurnGivesEventsAndTheReplyAudioAsItIsMade() throws Exception {
        start(VoiceServer.Options.defaults(), null);
        SocketClient client = SocketClient.connect(server, null);
        client.hello(MIC_RATE);
        JsonNode ready = client.await("ready");
        assertThat(ready.path("sampleRate").asInt()).isEqualTo(WebFixtures.RATE);
        assertThat(ready.path("codec").asText()).isEqualTo(agent.codec().fingerprint());
        assertThat(ready.path("bargeIn").asBoolean()).isTrue();
        assertThat(server.activeSessions()).isEqualTo(1);

        client.sendAudio(question(), MIC_RATE / 50);

        assertThat(client.await("speech_start").path("turn").asInt()).isEqualTo(1);
        assertThat(client.await("speech_end").path("questionFrames").asInt()).isPositive();
        assertThat(client.await("reply_start").path("turn").asInt()).isEqualTo(1);
        JsonNode end = client.await("turn_end");
        assertThat(end.path("turn").asInt()).isEqualTo(1);
        assertThat(end.path("outcome").asText()).isEqualTo("length_capped");
        assertThat(end.path("replySeconds").asDouble()).isCloseTo(REPLY_SECONDS, within(1e-9));
        // Measured, whatever the value: no timed asserts.
        assertThat(end.path("latencyMs").asDouble()).isPositive();
        assertThat(end.path("totalMs").asDouble()).isGreaterThanOrEqualTo(end.path("latencyMs").asDouble());
        // The question (0.8 s of tone after 0.3 s of silence, with pre-roll) in the audio sent.
        assertThat(end.path("questionStartSeconds").asDouble()).isBetween(0.0, 0.3);
        assertThat(end.path("questionEndSeconds").asDouble()).isBetween(1.1, 1.9);
        // Every sample of the reply came before turn_end, in several messages as it was made.
        assertThat(client.audioSamples()).isEqualTo((int) Math.round(REPLY_SECONDS * WebFixtures.RATE));
        assertThat(client.audioMessages()).isGreaterThan(1);
        // The user's wait: the fixed hangover's 300 ms of silence, then the server's latency.
        assertThat(ready.path("endOfTurn").asText()).isEqualTo("hangover");
        assertThat(end.path("endOfTurn").asText()).isEqualTo("hangover");
        assertThat(end.path("hangoverMs").asDouble()).isEqualTo(300.0);
        assertThat(end.path("perceivedMs").asDouble()).isEqualTo(300.0 + end.path("latencyMs").asDouble());
        assertThat(end.path("endProbability").isNull()).isTrue();
        assertThat(end.path("lastVoicedSeconds").asDouble()).isCloseTo(1.1, within(0.03));
        assertThat(end.path("endOfTurnSeconds").asDouble()).isCloseTo(end.path("lastVoicedSeconds").asDouble() + 0.3,
                within(1e-9));

        client.socket.sendClose(1000, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        awaitActive(0);
    }

    @Test
    void anAgentWithAnEndOfTurnPredictorSaysSoAndTheWaitIsItsSilence() throws Exception {
        int f = dev.samvaad.agent.TurnFeatures.SIZE;
        float[] scale = new float[f];
        java.util.Arrays.fill(scale, 1);
        // Always sure the user is done (logit 5): the turn ends after the predictor's 120 ms.
        dev.samvaad.agent.EndOfTurnPredictor sure = new dev.samvaad.agent.EndOfTurnPredictor(WebFixtures.codec(),
                new dev.samvaad.agent.EndOfTurnPredictor.Config(WebFixtures.codec().fingerprint(),
                        dev.samvaad.agent.TurnFeatures.VERSION, f, 0, 0.5, 120, null),
                new float[f], scale, new float[0], new float[0], new float[f], 5f);
        try (ConversationAgent predicting = new ConversationAgent(WebFixtures.codec(),
                dev.samvaad.infer.FastDecoder.of(WebFixtures.CONFIG, WebFixtures.weights(3)),
                dev.samvaad.agent.AgentOptions.builder().maxReplySeconds(REPLY_SECONDS).build(), null, sure)) {
            server = VoiceServer.start(predicting, VoiceServer.Options.defaults().withPort(0), null);
            SocketClient client = SocketClient.connect(server, null);
            client.hello(MIC_RATE);
            assertThat(client.await("ready").path("endOfTurn").asText()).isEqualTo("predictor");
            client.sendAudio(question(), MIC_RATE / 50);
            JsonNode end = client.await("turn_end");
            assertThat(end.path("endOfTurn").asText()).isEqualTo("predicted");
            assertThat(end.path("endProbability").asDouble()).isCloseTo(1 / (1 + Math.exp(-5)), within(1e-6));
            assertThat(end.path("hangoverMs").asDouble()).isEqualTo(120.0);
            assertThat(end.path("perceivedMs").asDouble()).isEqualTo(120.0 + end.path("latencyMs").asDouble());
            // The question ends where the silence began: the tone's end, 1.1 s into the audio sent.
            assertThat(end.path("questionEndSeconds").asDouble()).isCloseTo(1.1, within(0.03));
            client.socket.sendClose(1000, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
            awaitActive(0);
        }
    }

    @Test
    void servesThePageAndItsScripts() throws Exception {
        start(VoiceServer.Options.defaults(), null);
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("", "index.html", "app.js", "capture-worklet.js", "style.css")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("Samvaad", "app.js");
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("missing.js")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
    }

    @Test
    void pagesOfOtherSitesCannotOpenTheSocket() throws Exception {
        start(VoiceServer.Options.defaults(), null);

        assertThatThrownBy(() -> SocketClient.connect(server, "http://evil.example"))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
        assertThatThrownBy(() -> SocketClient.connect(server, "null")).isInstanceOf(ExecutionException.class);
        assertThat(server.activeSessions()).isZero();

        // The server's own pages, and pages on this machine.
        for (String origin : List.of("http://127.0.0.1:" + server.port(), "http://localhost:5173")) {
            SocketClient ok = SocketClient.connect(server, origin);
            ok.hello(MIC_RATE);
            assertThat(ok.await("ready").path("sampleRate").asInt()).as(origin).isEqualTo(WebFixtures.RATE);
            ok.socket.sendClose(1000, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMessageOverTheBoundClosesTheConnectionAndFreesItsPlace() throws Exception {
        start(VoiceServer.Options.defaults().withMaxMessageBytes(4096), null);
        SocketClient client = SocketClient.connect(server, null);
        client.hello(MIC_RATE);
        client.await("ready");
        client.sendAudio(new float[2048], 2048);   // 4096 bytes: at the bound, taken

        client.socket.sendBinary(ByteBuffer.allocate(8192), true);

        assertThat(client.awaitClose()).isEqualTo(1009);
        awaitActive(0);
    }

    @Test
    void atMostMaxSessionsConversationsAtOnce() throws Exception {
        start(VoiceServer.Options.defaults().withMaxSessions(2), null);
        SocketClient a = SocketClient.connect(server, null);
        SocketClient b = SocketClient.connect(server, null);
        a.hello(MIC_RATE);
        b.hello(MIC_RATE);
        a.await("ready");
        b.await("ready");

        SocketClient c = SocketClient.connect(server, null);
        assertThat(c.await("error").path("message").asText()).contains("busy", "at most 2 conversations");
        assertThat(c.awaitClose()).isEqualTo(1013);
        assertThat(server.activeSessions()).isEqualTo(2);

        a.socket.sendClose(1000, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        awaitActive(1);
        SocketClient d = SocketClient.connect(server, null);
        d.hello(MIC_RATE);
        d.await("ready");
        assertThat(server.activeSessions()).isEqualTo(2);
    }

    @Test
    void audioBeforeHelloOrABadHelloCloseTheConnection() throws Exception {
        start(VoiceServer.Options.defaults(), null);
        SocketClient early = SocketClient.connect(server, null);
        early.sendAudio(new float[960], 960);
        assertThat(early.await("error").path("message").asText()).contains("hello");
        assertThat(early.awaitClose()).isEqualTo(1008);

        SocketClient badRate = SocketClient.connect(server, null);
        badRate.hello(1_000);
        assertThat(badRate.await("error").path("message").asText()).contains("sampleRate");
        assertThat(badRate.awaitClose()).isEqualTo(1008);

        SocketClient oddBytes = SocketClient.connect(server, null);
        oddBytes.hello(MIC_RATE);
        oddBytes.await("ready");
        oddBytes.socket.sendBinary(ByteBuffer.allocate(3), true);
        assertThat(oddBytes.awaitClose()).isEqualTo(1007);
        awaitActive(0);
    }

    @Test
    void aClientThatDisconnectsMidReplyFreesItsSessionAndStopsTheReply() throws Exception {
        CountDownLatch replying = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        CountDownLatch replyEnded = new CountDownLatch(1);
        List<TurnReport> turns = new CopyOnWriteArrayList<>();
        VoiceServer.Monitor monitor = new VoiceServer.Monitor() {
            @Override
            public void replyAudio(int conversation, int turn, int samples) {
                // Hold the reply at its first chunk until the server has seen the client go, so
                // the disconnect happens mid-reply whatever the machine's speed.
                replying.countDown();
                await(closed);
            }

            @Override
            public void closed(int conversation, int code, String reason) {
                closed.countDown();
            }

            @Override
            public void turn(int conversation, TurnReport report) {
                turns.add(report);
                replyEnded.countDown();
            }
        };
        start(VoiceServer.Options.defaults().withMaxSessions(1), monitor);
        SocketClient client = SocketClient.connect(server, null);
        client.hello(MIC_RATE);
        client.await("ready");
        client.sendAudio(question(), MIC_RATE / 50);
        await(replying);

        client.socket.abort();

        await(replyEnded);
        assertThat(turns).hasSize(1);
        assertThat(turns.get(0).outcome()).isEqualTo(ReplyOutcome.CANCELLED);
        assertThat(turns.get(0).replySeconds()).isLessThan(REPLY_SECONDS);
        assertThat(server.activeSessions()).isZero();
        // Its place is free again.
        SocketClient next = SocketClient.connect(server, null);
        next.hello(MIC_RATE);
        next.await("ready");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("gave up waiting after " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits (bounded) until the server has closed all but {@code n} conversations. */
    private void awaitActive(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (server.activeSessions() != n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(server.activeSessions()).isEqualTo(n);
    }
}
