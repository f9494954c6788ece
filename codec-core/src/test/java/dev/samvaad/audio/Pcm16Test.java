package dev.samvaad.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Pcm16Test {

    @Test
    void everyCodeRoundTripsToItself() {
        for (int code = Short.MIN_VALUE; code <= Short.MAX_VALUE; code++) {
            float sample = Pcm16.toFloat((short) code);
            assertThat(Pcm16.toShort(sample)).as("code %d", code).isEqualTo((short) code);
        }
    }

    @Test
    void scalesBy32768ClampsAndRoundsToNearest() {
        float step = 1 / 32768f;
        assertThat(Pcm16.toShort(0.5f)).isEqualTo((short) 16384);
        assertThat(Pcm16.toShort(-1f)).isEqualTo(Short.MIN_VALUE);
        // 1.0 has no code: the largest one.
        assertThat(Pcm16.toShort(1f)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.toShort(1.5f)).isEqualTo(Short.MAX_VALUE);
        assertThat(Pcm16.toShort(-7f)).isEqualTo(Short.MIN_VALUE);
        assertThat(Pcm16.toShort(1.4f * step)).isEqualTo((short) 1);
        assertThat(Pcm16.toShort(1.6f * step)).isEqualTo((short) 2);
        assertThat(Pcm16.toShort(-1.6f * step)).isEqualTo((short) -2);
        assertThat(Pcm16.toShort(Float.NaN)).isZero();
        assertThat(Pcm16.toFloat(Short.MIN_VALUE)).isEqualTo(-1f);
        assertThat(Pcm16.toFloat((short) 16384)).isEqualTo(0.5f);
    }

    @Test
    void bytesAreLittleEndian() {
        byte[] bytes = Pcm16.toBytes(new float[] {1f, -1f, 256 / 32768f});

        assertThat(bytes).containsExactly(0xff, 0x7f, 0x00, 0x80, 0x00, 0x01);
    }

    @Test
    void bytesRoundTripAndAnOddLastByteIsLeftOut() {
        float[] pcm = {0f, 0.25f, -0.75f, 32767 / 32768f, -1f};
        byte[] bytes = Pcm16.toBytes(pcm);

        assertThat(Pcm16.fromBytes(bytes, bytes.length)).containsExactly(pcm);
        assertThat(Pcm16.fromBytes(bytes, 5)).containsExactly(0f, 0.25f);
    }

    @Test
    void aBufferIsReadLittleEndianFromItsPositionWhichDoesNotMove() {
        ByteBuffer buffer = ByteBuffer.allocate(6).order(ByteOrder.BIG_ENDIAN);
        buffer.put(new byte[] {9, 9}).put(Pcm16.toBytes(new float[] {0.5f, -0.5f})).position(2);

        assertThat(Pcm16.fromBytes(buffer)).containsExactly(0.5f, -0.5f);
        assertThat(buffer.position()).isEqualTo(2);
    }
}
