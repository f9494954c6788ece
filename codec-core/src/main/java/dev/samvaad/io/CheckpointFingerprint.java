package dev.samvaad.io;

import dev.samvaad.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Computes {@link Checkpoint#fingerprint()}. The digested encoding is defined here, on its own, so
 * that a new container format cannot change the fingerprints of existing checkpoints.
 */
final class CheckpointFingerprint {

    private static final int HEX_CHARS = 16;

    private CheckpointFingerprint() {}

    static String of(Checkpoint checkpoint) {
        MessageDigest sha256 = sha256();
        CheckpointOutput out = new CheckpointOutput(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        try {
            out.writeSized(checkpoint.kind().getBytes(StandardCharsets.UTF_8));
            out.writeInt(checkpoint.kindVersion());
            out.writeSized(checkpoint.configJson().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Tensor> array : checkpoint.arrays().entrySet()) {
                out.writeSized(array.getKey().getBytes(StandardCharsets.UTF_8));
                out.writeShape(array.getValue().shape());
                out.writeFloats(array.getValue().data());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the digest stream writes nowhere
        }
        return HexFormat.of().formatHex(sha256.digest()).substring(0, HEX_CHARS);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
