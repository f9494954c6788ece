package dev.samvaad.io;

import dev.samvaad.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one checkpoint file in a single pass. Before the checksum is verified only what steers
 * the reading is interpreted: the magic, the container version, the kind and kind version (so
 * that the wrong file is named as such without reading it all) and the sizes, each checked against
 * the bytes left before anything is allocated. Text is decoded and validated only once the
 * checksum has confirmed the bytes are as written, so damage there reads as a checksum mismatch.
 */
final class CheckpointReader {

    /** An array as read, its name not yet decoded. */
    private record RawArray(byte[] name, Tensor tensor) {
    }

    /** A name length and a rank: the least an array takes in the file. */
    private static final int MIN_ARRAY_BYTES = 2 * Integer.BYTES;
    /** The most elements one Java array holds (as {@link Tensor} allows). */
    private static final long MAX_ARRAY_VALUES = Integer.MAX_VALUE - 8;

    private final CheckpointInput input;
    private final String expectedKind;
    private final int maxKindVersion;

    /** @param expectedKind the kind the file must hold, or {@code null} to accept any */
    CheckpointReader(CheckpointInput input, String expectedKind, int maxKindVersion) {
        this.input = input;
        this.expectedKind = expectedKind;
        this.maxKindVersion = maxKindVersion;
    }

    Checkpoint read() throws IOException {
        checkMagic();
        int version = input.readInt("container version");
        if (version != CheckpointFile.FORMAT_VERSION) {
            throw input.error("unsupported container version " + version + "; this build reads version "
                    + CheckpointFile.FORMAT_VERSION);
        }
        byte[] kind = input.readSized("kind");
        int kindVersion = input.readInt("kind version");
        checkKind(kind, kindVersion);
        byte[] config = input.readSized("config");
        int count = input.readCount("array count", MIN_ARRAY_BYTES);
        List<RawArray> arrays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            arrays.add(readArray(i));
        }
        checkChecksum();
        return checkpoint(kind, kindVersion, config, arrays);
    }

    private void checkMagic() throws IOException {
        byte[] magic = CheckpointFile.MAGIC;
        int present = (int) Math.min(magic.length, input.remaining());
        byte[] head = input.readBytes(present, "magic");
        if (!Arrays.equals(head, 0, present, magic, 0, present)) {
            throw input.error("not a Samvaad checkpoint (it does not start with \"SAMVAAD\\0\")");
        }
        if (present < magic.length) {
            throw input.error("truncated: the file ends at byte " + present + ", inside the magic");
        }
    }

    private void checkKind(byte[] kind, int kindVersion) {
        // Decoded leniently here, for the message only; strict decoding waits for the checksum.
        String shownKind = new String(kind, StandardCharsets.UTF_8);
        if (expectedKind != null && !Arrays.equals(kind, expectedKind.getBytes(StandardCharsets.UTF_8))) {
            throw input.error("holds a '" + shownKind + "' checkpoint, expected '" + expectedKind + "'");
        }
        if (kindVersion < 0) {
            throw input.error("corrupt: negative kind version " + kindVersion);
        }
        if (kindVersion > maxKindVersion) {
            throw input.error("'" + shownKind + "' format version " + kindVersion
                    + " is newer than this build supports (up to " + maxKindVersion + ")");
        }
    }

    private RawArray readArray(int index) throws IOException {
        String label = "array #" + index;
        byte[] name = input.readSized(label + " name");
        int rank = input.readInt(label + " rank");
        if (rank < 0 || rank > Checkpoint.MAX_RANK) {
            throw input.error(label + " has rank " + rank + "; ranks 0 to " + Checkpoint.MAX_RANK
                    + " are supported");
        }
        int[] shape = new int[rank];
        long values = 1;
        // The product of the non-zero dimensions: an empty array may not have dimensions whose
        // product no array could hold either (e.g. [2^30, 2^30, 0]), which later code would allocate.
        long nonZero = 1;
        for (int axis = 0; axis < rank; axis++) {
            shape[axis] = input.readInt(label + " shape");
            if (shape[axis] < 0) {
                throw input.error("corrupt: " + label + " has a negative dimension in shape "
                        + Arrays.toString(Arrays.copyOf(shape, axis + 1)));
            }
            values = saturatingProduct(values, shape[axis]);
            nonZero = saturatingProduct(nonZero, Math.max(1, shape[axis]));
        }
        if (values > input.remaining() / Float.BYTES) {
            throw input.error("truncated: the values of " + label + ", shape " + Arrays.toString(shape)
                    + ", need more than the " + input.remaining() + " bytes that remain in the file");
        }
        if (values > MAX_ARRAY_VALUES) {
            throw input.error(label + " of shape " + Arrays.toString(shape) + " has " + values
                    + " values, more than one Java array holds");
        }
        if (nonZero > MAX_ARRAY_VALUES) {
            throw input.error("corrupt: " + label + " has shape " + Arrays.toString(shape)
                    + ", whose dimensions multiply past what one Java array holds");
        }
        return new RawArray(name, Tensor.wrap(input.readFloats((int) values, label + " values"), shape));
    }

    private void checkChecksum() throws IOException {
        if (input.remaining() > Long.BYTES) {
            throw input.error((input.remaining() - Long.BYTES) + " trailing bytes after the checksum");
        }
        long computed = input.crc();
        long stored = input.readStoredCrc();
        if (stored != computed) {
            throw input.error(String.format("corrupted: checksum mismatch (stored 0x%08x, computed 0x%08x)",
                    stored, computed));
        }
    }

    private Checkpoint checkpoint(byte[] kind, int kindVersion, byte[] config, List<RawArray> rawArrays) {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (RawArray raw : rawArrays) {
            String name = utf8(raw.name(), "an array name");
            if (arrays.put(name, raw.tensor()) != null) {
                throw input.error("duplicate array name '" + name + "'");
            }
        }
        try {
            return new Checkpoint(utf8(kind, "the kind"), kindVersion, utf8(config, "the config"), arrays);
        } catch (IllegalArgumentException e) {
            throw input.error(e.getMessage(), e);
        }
    }

    private String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw input.error(what + " is not valid UTF-8");
        }
    }

    /** {@code a * b} for non-negative factors, or {@link Long#MAX_VALUE} where that overflows. */
    private static long saturatingProduct(long a, int b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
