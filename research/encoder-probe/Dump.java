package dev.samvaad.codec;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.dataset.*;
import java.nio.file.*;
import java.io.*;
import java.util.*;

/** Dumps per pair: split, intent, voice, question text, codes and the scaled unquantised features of user.wav. */
public class Dump {
    public static void main(String[] a) throws Exception {
        ConversationCorpus corpus = ConversationCorpus.open(Path.of(a[0]));
        RvqCodec codec = RvqCodec.load(Path.of(a[1]));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(a[2])))) {
            float[][][] cb = codec.codeVectors();
            out.writeInt(cb.length); out.writeInt(cb[0].length); out.writeInt(cb[0][0].length);
            for (float[][] c : cb) for (float[] r : c) for (float f : r) out.writeFloat(f);
            List<ConversationPair> pairs = corpus.pairs();
            out.writeInt(pairs.size());
            for (ConversationPair p : pairs) {
                float[] pcm = AudioIO.readMono(p.userWav(), 16000);
                FeatureFramer framer = new FeatureFramer(codec.vocoder());
                List<float[]> frames = new ArrayList<>(framer.push(pcm, 0, pcm.length));
                frames.addAll(framer.finish());
                int[][] codes = codec.encode(pcm);
                out.writeUTF(p.split().toString()); out.writeUTF(p.meta().get().intent()); out.writeUTF(p.meta().get().voice());
                out.writeUTF(p.meta().get().question());
                int T = frames.size(); out.writeInt(T); out.writeInt(codes[0].length);
                for (float[] x : frames) { codec.scaling().normalise(x); for (float f : x) out.writeFloat(f); }
                for (int[] c : codes) for (int v : c) out.writeInt(v);
            }
        }
    }
}
