package dev.samvaad.agent;

import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.GenerationOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

import static dev.samvaad.agent.AgentFixtures.RATE;
import static dev.samvaad.agent.AgentFixtures.codec;
import static dev.samvaad.agent.AgentFixtures.concat;
import static dev.samvaad.agent.AgentFixtures.constantPredictor;
import static dev.samvaad.agent.AgentFixtures.model;
import static dev.samvaad.agent.AgentFixtures.silence;
import static dev.samvaad.agent.AgentFixtures.tone;
import static org.assertj.core.api.Assertions.assertThat;

/** Sessions that end turns with an end-of-turn predictor: when, with which question, and the fixed hangover beside them. */
class EndOfTurnSessionTest {
    /** 0.6 s replies; the predictor asked from its own minimum; at most 600 ms of silence. */
    private static final AgentOptions OPTIONS = AgentOptions.builder().maxReplySeconds(0.6)
            .endOfTurn(new EndOfTurnOptions(0, 600, Double.NaN)).build();
    /** A tone from 0.5 s to 1.3 s (codec frames 25..64), then 1.5 s of silence. */
    private static final float[] QUESTION = concat(silence(0.5, RATE), tone(300, 0.8, 0.3, RATE, 1), silence(1.5, RATE));
    private static final long TONE_END = Math.round(1.3 * RATE);

    private static List<TurnReport> run(AgentOptions options, EndOfTurnPredictor predictor, float[] audio) {
        FastDecoder decoder = model(3, -50f);
        ConversationAgent agent = new ConversationAgent(codec(), decoder, options, null, predictor);
        ConversationAgentTest.Recorder recorder = new ConversationAgentTest.Recorder();
        ConversationSession session = agent.newSession(RATE, RATE, recorder, Runnable::run);
        assertThat(session.predictsEndOfTurn()).isEqualTo(predictor != null);
        ConversationAgentTest.pushInChunks(session, audio, 700, 5);
        session.finish();
        session.awaitReplies();
        agent.close();
        return recorder.reports;
    }

    @Test
    void aConfidentPredictorEndsTheTurnAfterItsMinimumSilenceWithTheQuestionAsItStoodAtTheSilencesStart() {
        List<TurnReport> reports = run(OPTIONS, constantPredictor(0.99, 100), QUESTION);
        assertThat(reports).hasSize(1);
        TurnReport r = reports.get(0);
        assertThat(r.endOfTurn()).isEqualTo(TurnEnd.PREDICTED);
        assertThat(r.endProbability()).isCloseTo(0.99, org.assertj.core.api.Assertions.within(1e-6));
        // Five silent frames of 20 ms, decided at the end of the fifth.
        assertThat(r.hangoverMs()).isEqualTo(100.0);
        assertThat(r.endOfTurnSample()).isEqualTo(TONE_END + 5 * 320);
        assertThat(r.lastVoicedSeconds()).isCloseTo(1.3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(r.perceivedLatencyMs()).isEqualTo(r.hangoverMs() + r.firstAudioMs());
        // The question the model answered is the speech up to the silence (its pre-roll before it).
        assertThat(r.questionEndSample()).isEqualTo(TONE_END);
        assertThat(r.questionStartSample()).isEqualTo(Math.round(0.2 * RATE));
        // And the reply is the model's answer to exactly that question: the speculative encoding was of it.
        FastDecoder decoder = model(3, -50f);
        int[][] expected = decoder.start(r.questionCodes()).generate(
                new GenerationOptions(0, 0, 0, r.replyFrames()), (i, f) -> { });
        assertThat(r.replyCodes()).isDeepEqualTo(expected);
        assertThat(r.outcome()).isEqualTo(ReplyOutcome.LENGTH_CAPPED);
    }

    @Test
    void anUnsurePredictorWaitsForTheLongestSilence() {
        List<TurnReport> reports = run(OPTIONS, constantPredictor(0.01, 100), QUESTION);
        assertThat(reports).hasSize(1);
        TurnReport r = reports.get(0);
        assertThat(r.endOfTurn()).isEqualTo(TurnEnd.HANGOVER);
        assertThat(r.endProbability()).isNaN();
        assertThat(r.hangoverMs()).isEqualTo(600.0);
        assertThat(r.questionEndSample()).isEqualTo(TONE_END);
    }

    @Test
    void theThresholdAndTheMinimumSilenceCanBeSetInTheOptions() {
        EndOfTurnPredictor p = constantPredictor(0.6, 100);
        AgentOptions strict = OPTIONS.toBuilder().endOfTurn(new EndOfTurnOptions(0, 600, 0.7)).build();
        assertThat(run(strict, p, QUESTION).get(0).endOfTurn()).isEqualTo(TurnEnd.HANGOVER);
        AgentOptions lenient = OPTIONS.toBuilder().endOfTurn(new EndOfTurnOptions(200, 600, 0.5)).build();
        TurnReport r = run(lenient, p, QUESTION).get(0);
        assertThat(r.endOfTurn()).isEqualTo(TurnEnd.PREDICTED);
        assertThat(r.hangoverMs()).isEqualTo(200.0);
        // The predictor's calibrated threshold (0.5 here) is the default.
        assertThat(run(OPTIONS, p, QUESTION).get(0).endOfTurn()).isEqualTo(TurnEnd.PREDICTED);
    }

    @Test
    void aLongQuestionToAModelOfGroupedStepsGetsAReplyAsLongAsTheModelCanWrite() {
        // Four frames a step: the BOS step takes a whole group, so the longest answer is
        // maxFrames - 4 frames, not maxFrames - 1 (a 1.7 s question asked for 2 x 85 + 20 frames
        // of a model that writes at most 124, and the reply failed).
        dev.samvaad.infer.ModelConfig grouped = new dev.samvaad.infer.ModelConfig(2, 16, 32, 4, 1, 1, 64, 128, 4, true);
        java.util.Map<String, float[]> weights = dev.samvaad.infer.WeightNames.initial(grouped, 3);
        weights.get("head.b")[grouped.layout().eos()] -= 50f;
        ConversationAgent agent = new ConversationAgent(codec(), FastDecoder.of(grouped, weights), AgentOptions.defaults());
        ConversationAgentTest.Recorder recorder = new ConversationAgentTest.Recorder();
        ConversationSession session = agent.newSession(RATE, RATE, recorder, Runnable::run);
        assertThat(session.replyFrameLimit(85)).isEqualTo(grouped.maxAnswerFrames()).isEqualTo(124);
        session.push(concat(silence(0.3, RATE), tone(300, 1.4, 0.3, RATE, 1), silence(0.5, RATE)));
        session.finish();
        assertThat(recorder.events).noneMatch(e -> e.startsWith("error"));
        assertThat(recorder.reports).hasSize(1);
        assertThat(recorder.reports.get(0).outcome()).isNotEqualTo(ReplyOutcome.FAILED);
        assertThat(recorder.reports.get(0).replyFrames()).isBetween(1, 124);
        agent.close();
    }

    @Test
    void aPauseInsideTheQuestionIsWaitedOutUnlessThePredictorSaysTheTurnIsOver() {
        // 0.6 s of tone, a 400 ms pause, 0.6 s more, then silence.
        float[] paused = concat(silence(0.5, RATE), tone(300, 0.6, 0.3, RATE, 1), silence(0.4, RATE),
                tone(250, 0.6, 0.3, RATE, 2), silence(1.5, RATE));
        assertThat(run(OPTIONS, constantPredictor(0.01, 100), paused)).hasSize(1);
        // A confident predictor answers at the pause, and again after the rest.
        assertThat(run(OPTIONS, constantPredictor(0.99, 100), paused)).hasSize(2);
        // The fixed 300 ms hangover cuts in at a 400 ms pause too.
        List<TurnReport> fixed = run(AgentOptions.builder().maxReplySeconds(0.6).build(), null, paused);
        assertThat(fixed).hasSize(2);
        assertThat(fixed).allSatisfy(t -> {
            assertThat(t.endOfTurn()).isEqualTo(TurnEnd.HANGOVER);
            assertThat(t.hangoverMs()).isEqualTo(300.0);
        });
    }
}
