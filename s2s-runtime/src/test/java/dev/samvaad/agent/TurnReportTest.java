package dev.samvaad.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TurnReportTest {

    private static TurnReport.Builder aReply() {
        return TurnReport.builder().turn(2).outcome(ReplyOutcome.COMPLETED).questionCodes(new int[2][50])
                .questionStartSample(16_000).questionEndSample(48_000).codecRate(16_000).hangoverMs(300)
                .replyCodes(new int[2][25]).replySamples(24_000).outputRate(48_000).endOfTurn(TurnEnd.HANGOVER);
    }

    @Test
    void everyFieldIsSetByItsName() {
        TurnReport r = aReply().queueMs(1).encodeMs(2).firstAudioMs(40).totalMs(500).computeMs(250).rtf(0.5)
                .endOfTurn(TurnEnd.PREDICTED).endProbability(0.9).endOfTurnSample(52_800).build();

        assertThat(r.turn()).isEqualTo(2);
        assertThat(r.outcome()).isEqualTo(ReplyOutcome.COMPLETED);
        assertThat(r.questionFrames()).isEqualTo(50);
        assertThat(r.questionStartSample()).isEqualTo(16_000);
        assertThat(r.questionEndSample()).isEqualTo(48_000);
        assertThat(r.questionSeconds()).isEqualTo(2.0);
        assertThat(r.codecRate()).isEqualTo(16_000);
        assertThat(r.hangoverMs()).isEqualTo(300);
        assertThat(r.replyFrames()).isEqualTo(25);
        assertThat(r.replySamples()).isEqualTo(24_000);
        assertThat(r.outputRate()).isEqualTo(48_000);
        assertThat(r.replySeconds()).isEqualTo(0.5);
        assertThat(r.queueMs()).isEqualTo(1);
        assertThat(r.encodeMs()).isEqualTo(2);
        assertThat(r.firstAudioMs()).isEqualTo(40);
        assertThat(r.totalMs()).isEqualTo(500);
        assertThat(r.computeMs()).isEqualTo(250);
        assertThat(r.rtf()).isEqualTo(0.5);
        assertThat(r.endOfTurn()).isEqualTo(TurnEnd.PREDICTED);
        assertThat(r.endProbability()).isEqualTo(0.9);
        assertThat(r.endOfTurnSample()).isEqualTo(52_800);
        assertThat(r.perceivedLatencyMs()).isEqualTo(340);
        assertThat(r.lastVoicedSeconds()).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void theNumbersThatMayBeMissingAreNanUntilSet() {
        TurnReport r = aReply().replySamples(0).build();

        assertThat(r.hasAudio()).isFalse();
        assertThat(r.firstAudioMs()).isNaN();
        assertThat(r.rtf()).isNaN();
        assertThat(r.endProbability()).isNaN();
        assertThat(r.perceivedLatencyMs()).isNaN();
    }

    @Test
    void aFieldLeftOutThatHasNoDefaultIsNamed() {
        assertThatThrownBy(() -> aReply().outcome(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessage("outcome");
        assertThatThrownBy(() -> aReply().replyCodes(null).build()).hasMessage("replyCodes");
        assertThatThrownBy(() -> aReply().outputRate(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rates must be positive, got codecRate 16000 and outputRate 0");
    }
}
