package dev.samvaad.agent;

import dev.samvaad.audio.Resampler;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelException;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.infer.WeightsFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.samvaad.agent.AgentFixtures.CONFIG;
import static dev.samvaad.agent.AgentFixtures.RATE;
import static dev.samvaad.agent.AgentFixtures.codec;
import static dev.samvaad.agent.AgentFixtures.concat;
import static dev.samvaad.agent.AgentFixtures.model;
import static dev.samvaad.agent.AgentFixtures.question;
import static dev.samvaad.agent.AgentFixtures.silence;
import static dev.samvaad.agent.AgentFixtures.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions end to end on a tiny codec and a random model: streaming input, replies, barge-in, caps, concurrency. */
class ConversationAgentTest {
    /** 0.6 s replies: 30 frames. */
    private static final AgentOptions CAPPED = AgentOptions.builder().maxReplySeconds(0.6).build();
    private static final int CAP_FRAMES = 30;

    /** Records everything a session says, audio per turn. */
    static class Recorder implements ConversationListener {
        final Map<Integer, List<float[]>> audio = new ConcurrentHashMap<>();
        final List<TurnReport> reports = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onAudio(int turn, float[] pcm) {
            audio.computeIfAbsent(turn, t -> new CopyOnWriteArrayList<>()).add(pcm);
        }

        @Override
        public void onSpeechStart(int turn) {
            events.add("start " + turn);
        }

        @Override
        public void onSpeechEnd(int turn, int[][] questionCodes) {
            events.add("end " + turn);
        }

        @Override
        public void onBargeIn(int turn) {
            events.add("barge-in " + turn);
        }

        @Override
        public void onReply(TurnReport report) {
            events.add("reply " + report.turn() + " " + report.outcome());
            reports.add(report);
        }

        @Override
        public void onError(int turn, RuntimeException error) {
            events.add("error " + turn + " " + error);
        }

        float[] audio(int turn) {
            return concat(audio.getOrDefault(turn, List.of()).toArray(float[][]::new));
        }
    }

    /** Pushes {@code pcm} in seeded random chunks of 1 to {@code most} samples. */
    static void pushInChunks(ConversationSession session, float[] pcm, int most, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int at = 0; at < pcm.length; ) {
            int n = Math.min(pcm.length - at, 1 + rng.nextInt(most));
            session.push(Arrays.copyOfRange(pcm, at, at + n));
            at += n;
        }
    }

    @Test
    void aQuestionPushedInChunksAtAnotherRateIsAnsweredAsTheBatchPathWould() {
        int rate = 44_100;
        AudioCodec codec = codec();
        FastDecoder decoder = model(3, -50f);
        // Tone over 0.5 .. 1.3 s: frames 25..64 at the codec rate; the turn ends 300 ms of silence later.
        float[] input = question(300, 0.5, 0.8, 0.6, rate, 1);
        Recorder recorder = new Recorder();
        try (ConversationAgent agent = new ConversationAgent(codec, decoder, CAPPED)) {
            ConversationSession session = agent.newSession(rate, recorder);
            pushInChunks(session, input, 2000, 5);
            session.finish();
            session.awaitReplies();
        }

        assertThat(recorder.events).containsExactly("start 1", "end 1", "reply 1 LENGTH_CAPPED");
        TurnReport report = recorder.reports.get(0);
        // 300 ms of pre-roll before the first voiced frame; the end is that of the hangover's last frame.
        assertThat(report.questionStartSample()).isEqualTo(25 * 320 - 4800);
        assertThat(report.questionEndSample()).isEqualTo((64 + 15 + 1) * 320);
        assertThat(report.hangoverMs()).isEqualTo(300.0);
        float[] atCodecRate = Resampler.of(rate, RATE).resample(input);
        int[][] expectedQuestion = codec.encode(Arrays.copyOfRange(atCodecRate, (int) report.questionStartSample(),
                (int) report.questionEndSample()));
        assertThat(report.questionCodes()).isDeepEqualTo(expectedQuestion);

        int[][] expectedReply = decoder.start(expectedQuestion)
                .generate(GenerationOptions.builder().maxFrames(CAP_FRAMES).build(), FrameListener.none());
        assertThat(report.replyCodes()).isDeepEqualTo(expectedReply);
        assertThat(report.replyFrames()).isEqualTo(CAP_FRAMES);
        assertThat(recorder.audio(1)).containsExactly(codec.decode(expectedReply));
        assertThat(report.replySamples()).isEqualTo(CAP_FRAMES * 320L);
        assertThat(report.replySeconds()).isEqualTo(0.6);
        assertMeasured(report);
    }

    @Test
    void repliesCanComeAtAnotherOutputRate() {
        float[] input = question(400, 0.2, 0.6, 0.5, RATE, 2);
        Recorder recorder = new Recorder();
        try (ConversationAgent agent = new ConversationAgent(codec(), model(3, -50f), CAPPED)) {
            ConversationSession session = agent.newSession(RATE, 48_000, recorder, Runnable::run);
            pushInChunks(session, input, 500, 6);
            session.finish();
            List<Reply> direct = agent.respond(input, RATE);

            assertThat(direct).hasSize(1);
            assertThat(recorder.audio(1)).containsExactly(Resampler.of(RATE, 48_000).resample(direct.get(0).audio()));
            assertThat(recorder.reports.get(0).outputRate()).isEqualTo(48_000);
            assertThat(recorder.reports.get(0).replySeconds()).isEqualTo(0.6);
        }
    }

    @Test
    void userSpeechDuringAReplyStopsItAndStartsTheNextTurn() throws Exception {
        CountDownLatch firstAudio = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstReply = new CountDownLatch(1);
        Recorder recorder = new Recorder() {
            @Override
            public void onReply(TurnReport report) {
                super.onReply(report);
                firstReply.countDown();
            }

            @Override
            public void onAudio(int turn, float[] pcm) {
                super.onAudio(turn, pcm);
                if (turn == 1 && firstAudio.getCount() > 0) {
                    // Hold the reply here, as a speaker's full buffer would, until the user has spoken.
                    firstAudio.countDown();
                    await(release);
                }
            }
        };
        try (ConversationAgent agent = new ConversationAgent(codec(), model(3, -50f), CAPPED)) {
            ConversationSession session = agent.newSession(22_050, recorder);
            pushInChunks(session, question(300, 0.3, 0.6, 0.5, 22_050, 1), 1000, 7);
            assertThat(firstAudio.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(session.replying()).isTrue();

            // 200 ms of speech: past the 120 ms minimum, so the user has barged in.
            pushInChunks(session, tone(500, 0.2, 0.3, 22_050, 2), 1000, 8);
            assertThat(recorder.events).containsExactly("start 1", "end 1", "start 2", "barge-in 1");
            release.countDown();
            await(firstReply);

            pushInChunks(session, concat(tone(500, 0.4, 0.3, 22_050, 3), silence(0.5, 22_050)), 1000, 9);
            session.finish();
            session.awaitReplies();
        }

        assertThat(recorder.events).containsExactly("start 1", "end 1", "start 2", "barge-in 1",
                "reply 1 BARGED_IN", "end 2", "reply 2 LENGTH_CAPPED");
        TurnReport stopped = recorder.reports.get(0);
        assertThat(stopped.replyFrames()).isPositive().isLessThan(CAP_FRAMES);
        assertThat(stopped.hasAudio()).isTrue();
        assertThat(recorder.reports.get(1).replyFrames()).isEqualTo(CAP_FRAMES);
    }

    @Test
    void withoutBargeInTheReplyRunsToItsEnd() {
        CountDownLatch release = new CountDownLatch(1);
        Recorder recorder = new Recorder() {
            @Override
            public void onAudio(int turn, float[] pcm) {
                super.onAudio(turn, pcm);
                await(release);
            }
        };
        try (ConversationAgent agent = new ConversationAgent(codec(), model(3, -50f),
                CAPPED.toBuilder().bargeIn(false).build())) {
            ConversationSession session = agent.newSession(RATE, recorder);
            pushInChunks(session, concat(question(300, 0.3, 0.6, 0.5, RATE, 1), tone(500, 0.4, 0.3, RATE, 2),
                    silence(0.5, RATE)), 1000, 7);
            release.countDown();
            session.finish();
            session.awaitReplies();
        }
        assertThat(recorder.reports).extracting(TurnReport::outcome)
                .containsExactly(ReplyOutcome.LENGTH_CAPPED, ReplyOutcome.LENGTH_CAPPED);
        assertThat(recorder.events).doesNotContain("barge-in 1");
    }

    @Test
    void repliesAreCutAtTheLengthCap() {
        AgentOptions options = AgentOptions.builder().maxReplySeconds(0.2).build();
        try (ConversationAgent agent = new ConversationAgent(codec(), model(4, -50f), options)) {
            List<Reply> replies = agent.respond(question(250, 0.2, 0.8, 0.5, RATE, 3), RATE);

            assertThat(replies).hasSize(1);
            TurnReport report = replies.get(0).report();
            assertThat(report.outcome()).isEqualTo(ReplyOutcome.LENGTH_CAPPED);
            assertThat(report.replyFrames()).isEqualTo(10);
            assertThat(replies.get(0).audio()).hasSize(10 * 320);
            assertMeasured(report);
        }
        // The model's own frame limit caps too: maxFrames 128 leaves 127 answer frames.
        try (ConversationAgent agent = new ConversationAgent(codec(), model(4, -50f),
                AgentOptions.builder().generation(GenerationOptions.builder().maxFrames(12).build()).build())) {
            assertThat(agent.respond(question(250, 0.2, 0.8, 0.5, RATE, 3), RATE).get(0).report().replyFrames())
                    .isEqualTo(12);
        }
    }

    @Test
    void aModelThatEndsAtOnceGivesACompletedReplyWithoutAudio() {
        try (ConversationAgent agent = new ConversationAgent(codec(), model(4, 50f), CAPPED)) {
            Reply reply = agent.respond(question(250, 0.2, 0.8, 0.5, RATE, 3), RATE).get(0);

            assertThat(reply.report().outcome()).isEqualTo(ReplyOutcome.COMPLETED);
            assertThat(reply.report().replyFrames()).isZero();
            assertThat(reply.audio()).isEmpty();
            assertThat(reply.report().hasAudio()).isFalse();
            assertThat(reply.report().firstAudioMs()).isNaN();
            assertThat(reply.report().rtf()).isNaN();
            assertThat(reply.report().totalMs()).isPositive();
        }
    }

    @Test
    void silenceAndClicksAreNotQuestions() {
        try (ConversationAgent agent = new ConversationAgent(codec(), model(4, -50f), CAPPED)) {
            assertThat(agent.respond(silence(2, RATE), RATE)).isEmpty();
            assertThat(agent.respond(concat(silence(0.5, RATE), tone(800, 0.06, 0.5, RATE, 1), silence(0.5, RATE)),
                    RATE)).isEmpty();
        }
    }

    @Test
    void twoQuestionsInOneRecordingGetTwoReplies() {
        float[] pcm = concat(question(300, 0.2, 0.6, 0.6, RATE, 1), question(600, 0.0, 0.6, 0.6, RATE, 2));
        try (ConversationAgent agent = new ConversationAgent(codec(), model(4, -50f), CAPPED)) {
            List<Reply> replies = agent.respond(pcm, RATE);

            assertThat(replies).extracting(r -> r.report().turn()).containsExactly(1, 2);
            assertThat(replies).allSatisfy(r -> assertThat(r.report().outcome()).isEqualTo(ReplyOutcome.LENGTH_CAPPED));
        }
    }

    @Test
    void aTurnLongerThanTheModelTakesIsAnsweredAtItsLongest() {
        // 4 s of speech; the model takes 128 frames (2.56 s) of question.
        float[] pcm = question(300, 0.5, 4.0, 0.6, RATE, 4);
        try (ConversationAgent agent = new ConversationAgent(codec(), model(4, -50f), CAPPED)) {
            List<Reply> replies = agent.respond(pcm, RATE);

            assertThat(replies).hasSize(2);
            TurnReport first = replies.get(0).report();
            assertThat(first.questionFrames()).isLessThanOrEqualTo(CONFIG.maxFrames()).isGreaterThan(CONFIG.maxFrames() - 2);
            assertThat(first.hangoverMs()).isZero();
            // The rest of the speech is the next turn, which starts where the first stopped.
            assertThat(replies.get(1).report().questionStartSample()).isEqualTo(first.questionEndSample());
            assertThat(replies).allSatisfy(r -> assertThat(r.report().outcome()).isEqualTo(ReplyOutcome.LENGTH_CAPPED));
        }
    }

    @Test
    void fourConcurrentSessionsAnswerAsEachWouldAlone() throws Exception {
        int[] rates = {8_000, 22_050, 44_100, 48_000};
        float[][] questions = new float[4][];
        for (int i = 0; i < 4; i++) {
            questions[i] = question(200 + 150 * i, 0.2 + 0.1 * i, 0.5 + 0.2 * i, 0.5, rates[i], 10 + i);
        }
        try (ConversationAgent agent = new ConversationAgent(codec(), model(5, -50f), CAPPED)) {
            List<Reply> alone = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<Reply> replies = agent.respond(questions[i], rates[i]);
                assertThat(replies).hasSize(1);
                alone.add(replies.get(0));
            }

            ExecutorService users = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Recorder>> together = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int user = i;
                    together.add(users.submit(() -> {
                        Recorder recorder = new Recorder();
                        ConversationSession session = agent.newSession(rates[user], recorder);
                        go.await();
                        pushInChunks(session, questions[user], 700, user);
                        session.finish();
                        session.awaitReplies();
                        return recorder;
                    }));
                }
                go.countDown();
                for (int i = 0; i < 4; i++) {
                    Recorder recorder = together.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(recorder.reports).as("user %d", i).hasSize(1);
                    TurnReport report = recorder.reports.get(0);
                    assertThat(report.questionCodes()).as("user %d", i).isDeepEqualTo(alone.get(i).report().questionCodes());
                    assertThat(report.replyCodes()).as("user %d", i).isDeepEqualTo(alone.get(i).report().replyCodes());
                    assertThat(recorder.audio(1)).as("user %d", i).containsExactly(alone.get(i).audio());
                    assertMeasured(report);
                }
            } finally {
                users.shutdownNow();
            }
            // Different questions, different answers: the sessions did not share state.
            assertThat(alone.get(0).report().replyCodes()).isNotEqualTo(alone.get(3).report().replyCodes());
        }
    }

    @Test
    void closedSessionsAndAgentsRefuseAudio() {
        ConversationAgent agent = new ConversationAgent(codec(), model(4, -50f), CAPPED);
        ConversationSession session = agent.newSession(RATE, new Recorder());
        session.finish();
        assertThatThrownBy(() -> session.push(new float[10])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finished");
        agent.close();
        assertThatThrownBy(() -> agent.newSession(RATE, new Recorder())).hasMessageContaining("closed");
    }

    @Test
    void aModelForAnotherCodecIsRefused() {
        ModelConfig other = new ModelConfig(3, 16, 32, 4, 1, 1, 64, 128);
        FastDecoder decoder = FastDecoder.of(other, WeightNames.initial(other, 1));
        assertThatThrownBy(() -> new ConversationAgent(codec(), decoder, CAPPED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 codebooks of 16");
        assertThat(CONFIG.codebooks()).isEqualTo(2);
    }

    @Test
    void aRunFolderLoadsWithTheCodecThatTravelsWithItAndTheLoadLineIsInWords(@TempDir Path dir) throws Exception {
        RvqCodec rvq = (RvqCodec) codec();
        Path run = dir.resolve("run");
        WeightsFile.write(run.resolve("best"), CONFIG, WeightNames.initial(CONFIG, 3), rvq.fingerprint(), "conversation", 7);
        assertThatThrownBy(() -> ConversationAgent.load(run)).isInstanceOf(ModelException.class)
                .hasMessageStartingWith(run + ": no codec.smvd in the model folder or its run folder");
        rvq.save(run.resolve(ModelFolder.CODEC_FILE));

        PrintStream saved = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple looks it up at each write
        try (ConversationAgent fromRun = ConversationAgent.load(run);
                ConversationAgent fromCheckpoint = ConversationAgent.load(run.resolve("best"), CAPPED)) {
            assertThat(fromRun.sampleRate()).isEqualTo(fromCheckpoint.sampleRate()).isEqualTo(rvq.sampleRate());
        } finally {
            System.setErr(saved);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("model " + run.resolve("best") + " at step 7: "
                + CONFIG.describe() + "; codec " + run.resolve("codec.smvd") + " (" + rvq.fingerprint() + ")")
                .doesNotContain("ModelConfig[");
        assertThat(CONFIG.describe()).isEqualTo(String.format(java.util.Locale.ROOT, "%,d parameters, width 32, "
                + "1 encoder + 1 decoder layer, 1 frame per step, 2 x 16 codes per frame, reads code embeddings",
                WeightNames.count(CONFIG)));
        ModelConfig larger = ModelConfig.small(4, 256).withGrouping(4, true).withEncoderLayers(3)
                .withSummary(true, List.of("greet")).withText(List.of("a", "b"));
        assertThat(larger.describe()).matches("\\d\\.\\d M parameters, width 128, 3 encoder \\+ 2 decoder layers, "
                + "4 frames per step, 4 x 256 codes per frame, reads code embeddings, text monologue of 2 symbols, "
                + "1 intent");
    }

    @Test
    void latencySummaryUsesNearestRankOverTurnsWithAudio() {
        assertThat(LatencySummary.percentile(new double[] {50, 10, 40, 30, 20}, 50)).isEqualTo(30);
        assertThat(LatencySummary.percentile(new double[] {50, 10, 40, 30, 20}, 95)).isEqualTo(50);
        assertThat(LatencySummary.percentile(new double[0], 50)).isNaN();
        try (ConversationAgent agent = new ConversationAgent(codec(), model(4, -50f), CAPPED)) {
            List<TurnReport> reports = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reports.add(agent.respond(question(300 + 100 * i, 0.2, 0.5, 0.5, RATE, i), RATE).get(0).report());
            }
            LatencySummary summary = LatencySummary.of(reports);
            assertThat(summary.turns()).isEqualTo(3);
            assertThat(summary.withAudio()).isEqualTo(3);
            assertThat(summary.firstAudioP95Ms()).isGreaterThanOrEqualTo(summary.firstAudioP50Ms()).isPositive();
            assertThat(summary.totalP95Ms()).isGreaterThanOrEqualTo(summary.totalP50Ms());
            assertThat(summary.rtfP50()).isPositive();
        }
    }

    /** The timings exist and are consistent; their values depend on the machine and are not checked. */
    static void assertMeasured(TurnReport report) {
        assertThat(report.firstAudioMs()).isPositive().isFinite();
        assertThat(report.totalMs()).isGreaterThanOrEqualTo(report.firstAudioMs());
        assertThat(report.queueMs()).isGreaterThanOrEqualTo(0);
        assertThat(report.encodeMs()).isGreaterThanOrEqualTo(0);
        assertThat(report.computeMs()).isPositive();
        assertThat(report.rtf()).isPositive().isFinite();
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
