package dev.samvaad.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

import static dev.samvaad.agent.AgentFixtures.codec;
import static dev.samvaad.agent.AgentFixtures.model;
import static dev.samvaad.agent.AgentFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent under load: 4 users talk to one {@link ConversationAgent} at once, each in one long
 * session of many turns (a question, then silence until the reply has been heard), for a bounded
 * soak. Every turn's question codes, reply codes and reply audio must equal those of the same
 * question answered alone in a fresh session; no reply may fail; the heap in use after a full GC
 * may not grow between the end of the warm-up turns and the end of the soak by more than
 * {@link #HEAP_GROWTH_BOUND_BYTES}.
 *
 * <p>{@value #TURNS_PROPERTY} sets the total number of turns (a multiple of 4; default
 * {@value #DEFAULT_TURNS}), e.g. {@code -Dsamvaad.soak.turns=2000} for a long run.
 */
class AgentSoakTest {
    static final String TURNS_PROPERTY = "samvaad.soak.turns";
    static final int DEFAULT_TURNS = 400;
    static final int USERS = 4;
    /** Turns each user speaks before the heap is measured the first time. */
    static final int WARMUP_TURNS_PER_USER = 5;
    /** Allowed growth of the heap in use after GC, from after the warm-up to the end. */
    static final long HEAP_GROWTH_BOUND_BYTES = 8L << 20;
    /** Each user speaks at another rate, so the shared resamplers are exercised too. */
    static final int[] RATES = {16_000, 8_000, 22_050, 48_000};
    /** Replies of 0.2 s: 10 frames. */
    static final AgentOptions OPTIONS = AgentOptions.builder().maxReplySeconds(0.2).build();
    static final int REPLY_FRAMES = 10;

    /** Distinct questions: tone pitch (Hz) and length (s). Every turn lasts a whole number of 20 ms. */
    static final double[][] QUESTIONS = {{220, 0.30}, {330, 0.44}, {470, 0.36}, {610, 0.52}, {760, 0.40},
            {900, 0.60}};
    /** Silence before each question (more than the 300 ms pre-roll) and after it (more than the 300 ms hangover). */
    static final double LEAD_S = 0.40;
    static final double TAIL_S = 0.40;

    /** A turn's audio at {@code rate}: lead silence, the question's tone, tail silence. */
    static float[] turnAudio(int question, int rate) {
        return question(QUESTIONS[question][0], LEAD_S, QUESTIONS[question][1], TAIL_S, rate, 100 + question);
    }

    @Test
    void fourSessionsServeASoakOfTurnsWithTheSingleSessionAnswersAndBoundedMemory() throws Exception {
        int turns = Integer.getInteger(TURNS_PROPERTY, DEFAULT_TURNS);
        assertThat(turns % USERS).as("%s must be a multiple of %d", TURNS_PROPERTY, USERS).isZero();
        int perUser = turns / USERS;
        assertThat(perUser).isGreaterThan(WARMUP_TURNS_PER_USER);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        try (ConversationAgent agent = new ConversationAgent(codec(), model(7, -50f), OPTIONS)) {
            // Reference answers: each distinct question at each user's rate, alone in a fresh session.
            Reply[][] alone = new Reply[USERS][QUESTIONS.length];
            float[][][] audio = new float[USERS][QUESTIONS.length][];
            for (int u = 0; u < USERS; u++) {
                for (int q = 0; q < QUESTIONS.length; q++) {
                    audio[u][q] = turnAudio(q, RATES[u]);
                    List<Reply> replies = agent.respond(audio[u][q], RATES[u]);
                    assertThat(replies).as("user %d question %d alone", u, q).hasSize(1);
                    alone[u][q] = replies.get(0);
                    assertThat(alone[u][q].report().outcome()).isEqualTo(ReplyOutcome.LENGTH_CAPPED);
                    assertThat(alone[u][q].report().replyFrames()).isEqualTo(REPLY_FRAMES);
                }
            }
            // Different questions get different answers, so comparing answers means something.
            for (int q = 1; q < QUESTIONS.length; q++) {
                assertThat(alone[0][q].report().replyCodes()).isNotEqualTo(alone[0][0].report().replyCodes());
            }

            // Every figure the soak keeps is allocated before the first heap measurement.
            double[] firstAudioMs = new double[turns];
            long[] heap = new long[2];
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CyclicBarrier warmedUp = new CyclicBarrier(USERS, () -> heap[0] = usedHeapAfterGc(memory));

            long started = System.nanoTime();
            ExecutorService users = Executors.newFixedThreadPool(USERS);
            try {
                List<Future<Integer>> served = new ArrayList<>();
                for (int u = 0; u < USERS; u++) {
                    int user = u;
                    served.add(users.submit(() -> speak(agent, user, perUser, audio[user], alone[user], warmedUp,
                            firstAudioMs, failures)));
                }
                int total = 0;
                for (int u = 0; u < USERS; u++) {
                    total += served.get(u).get(10, TimeUnit.MINUTES);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                heap[1] = usedHeapAfterGc(memory);

                assertThat(failures).as("failures").isEmpty();
                assertThat(total).isEqualTo(turns);
                double[] sorted = firstAudioMs.clone();
                Arrays.sort(sorted);
                long growth = heap[1] - heap[0];
                System.out.printf(Locale.ROOT, "agent soak: %d users, %d turns served in %.1f s, 0 errors; "
                                + "first audio p50 %.1f ms, p95 %.1f ms; heap in use after GC %.1f MB after the "
                                + "warm-up (%d turns), %.1f MB at the end: growth %.2f MB, bound %.0f MB%n",
                        USERS, total, seconds, LatencySummary.percentile(sorted, 50),
                        LatencySummary.percentile(sorted, 95), heap[0] / 1048576.0, USERS * WARMUP_TURNS_PER_USER,
                        heap[1] / 1048576.0, growth / 1048576.0, HEAP_GROWTH_BOUND_BYTES / 1048576.0);
                assertThat(growth).as("heap growth in bytes over the soak").isLessThan(HEAP_GROWTH_BOUND_BYTES);
            } finally {
                users.shutdownNow();
            }
        }
    }

    /**
     * One user: {@code turns} turns in one session, questions in a seeded order, audio in seeded
     * random chunks, each reply awaited before the next question and compared with the answer
     * alone. Returns the turns served.
     */
    private static int speak(ConversationAgent agent, int user, int turns, float[][] audio, Reply[] alone,
                             CyclicBarrier warmedUp, double[] firstAudioMs, ConcurrentLinkedQueue<String> failures)
            throws InterruptedException, TimeoutException {
        SplittableRandom rng = new SplittableRandom(1000 + user);
        LastTurn last = new LastTurn();
        ConversationSession session = agent.newSession(RATES[user], last);
        int served = 0;
        try {
            for (int t = 1; t <= turns; t++) {
                int q = rng.nextInt(QUESTIONS.length);
                last.clear();
                float[] pcm = audio[q];
                for (int at = 0; at < pcm.length; ) {
                    int n = Math.min(pcm.length - at, 1 + rng.nextInt(2000));
                    session.push(Arrays.copyOfRange(pcm, at, at + n));
                    at += n;
                }
                session.awaitReplies();
                String wrong = last.differenceFrom(t, alone[q]);
                if (wrong != null) {
                    failures.add("user " + user + " turn " + t + " (question " + q + "): " + wrong);
                    break;
                }
                firstAudioMs[user * turns + t - 1] = last.report.firstAudioMs();
                served++;
                if (t == WARMUP_TURNS_PER_USER) {
                    warmedUp.await(5, TimeUnit.MINUTES);
                }
            }
        } catch (RuntimeException | BrokenBarrierException e) {
            failures.add("user " + user + " after " + served + " turns: " + e);
        } finally {
            if (served < WARMUP_TURNS_PER_USER) {
                warmedUp.reset(); // the others stop waiting for this user
            }
            session.close();
        }
        return served;
    }

    /** Holds the events of the turn in progress only, so the soak keeps nothing per turn. */
    private static final class LastTurn implements ConversationListener {
        private final List<float[]> chunks = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private volatile TurnReport report;
        private int replies;

        synchronized void clear() {
            chunks.clear();
            errors.clear();
            report = null;
            replies = 0;
        }

        @Override
        public synchronized void onAudio(int turn, float[] pcm) {
            chunks.add(pcm);
        }

        @Override
        public synchronized void onReply(TurnReport r) {
            report = r;
            replies++;
        }

        @Override
        public synchronized void onError(int turn, RuntimeException error) {
            errors.add("turn " + turn + ": " + error);
        }

        @Override
        public void onBargeIn(int turn) {
            synchronized (this) {
                errors.add("unexpected barge-in of turn " + turn);
            }
        }

        /** {@return null if turn {@code turn} was answered as {@code alone}, else what differs} */
        synchronized String differenceFrom(int turn, Reply alone) {
            if (!errors.isEmpty()) {
                return "errors " + errors;
            }
            if (replies != 1 || report == null) {
                return replies + " replies";
            }
            if (report.turn() != turn) {
                return "the reply answers turn " + report.turn();
            }
            if (report.outcome() != ReplyOutcome.LENGTH_CAPPED) {
                return "outcome " + report.outcome();
            }
            if (!Arrays.deepEquals(report.questionCodes(), alone.report().questionCodes())) {
                return "question codes differ";
            }
            if (!Arrays.deepEquals(report.replyCodes(), alone.report().replyCodes())) {
                return "reply codes differ";
            }
            int length = chunks.stream().mapToInt(c -> c.length).sum();
            float[] pcm = new float[length];
            int at = 0;
            for (float[] c : chunks) {
                System.arraycopy(c, 0, pcm, at, c.length);
                at += c.length;
            }
            if (!Arrays.equals(pcm, alone.audio())) {
                return "reply audio differs (" + pcm.length + " samples against " + alone.audio().length + ")";
            }
            if (!(report.firstAudioMs() >= 0)) {
                return "first audio " + report.firstAudioMs() + " ms";
            }
            return null;
        }
    }

    /** Heap in use after full collections: the smallest of a few, so a collection that freed little does not count. */
    static long usedHeapAfterGc(MemoryMXBean memory) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
