package dev.samvaad.eval;

import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.ConversationListener;
import dev.samvaad.agent.ConversationSession;
import dev.samvaad.agent.LatencySummary;
import dev.samvaad.agent.TurnReport;
import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.dataset.TurnMarks;
import dev.samvaad.metrics.Machine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turn taking through the agent: each question of a data set made with {@code generate-data
 * --pauses} (whose meta.json marks where the turn really ends) is fed to a session of each agent
 * in chunks the size a microphone delivers, as fast as it can be read, and per question it
 * measures
 * <ul>
 *   <li>the <b>user-perceived latency</b>: from the user's last speech sample (the mark) to the
 *       first reply audio: the audio time from there to the end of the chunk on which the agent
 *       decided the turn was over (the silence it waited for), plus the wall time from that
 *       decision to the first reply audio (the agent's compute);</li>
 *   <li>a <b>cut-in</b>: a reply that started (decision plus compute) before the user's last
 *       speech sample, i.e. inside their turn, at a pause between phrases.</li>
 * </ul>
 * Feeding faster than real time changes no decision (the agent decides on audio time) and each
 * reply's compute is measured as it happens; only a reply's overlap with later audio is not
 * simulated (its barge-in may come earlier than it would live).
 */
public final class TurnTakingEvaluator {
    /** Pause-length bins of the report: the longest pause inside the turn, ms (upper bounds, exclusive). */
    static final double[] BIN_EDGES = {300, 500};
    /** The cut-in target counts turns whose pauses are all at most this long, ms. */
    public static final double TARGET_PAUSE_MS = 500;

    /**
     * One question to feed.
     *
     * @param name  the pair's name
     * @param split its split
     * @param wav   the question
     * @param marks where its speech really is
     */
    public record Item(String name, Split split, Path wav, TurnMarks marks) {}

    /**
     * What one agent did with one question.
     *
     * @param item        the question
     * @param turns       the turns the agent took (several when it cut in)
     * @param cutIn       whether a reply started before the user's last speech sample
     * @param cutInTail   whether a reply started before the end of the speech's faint decay (a stricter count)
     * @param latencyMs   last speech sample -> the first reply audio after it; {@code NaN} when none came
     * @param decisionMs  last speech sample -> the decision that started that reply (audio time)
     * @param computeMs   that decision -> its first reply audio (wall time)
     * @param endOfTurn   what ended that turn ({@code predicted}, {@code hangover}, ...), or null
     * @param probability the predictor's probability when it ended that turn, else {@code NaN}
     */
    public record Outcome(Item item, int turns, boolean cutIn, boolean cutInTail, double latencyMs, double decisionMs, double computeMs,
                          String endOfTurn, double probability) {}

    private final int chunkMs;
    private final int warmup;

    /**
     * An evaluator.
     *
     * @param chunkMs audio per push, ms (a microphone's buffer)
     * @param warmup  times each agent answers the first question before measuring (JIT)
     */
    public TurnTakingEvaluator(int chunkMs, int warmup) {
        if (chunkMs < 1 || warmup < 0) {
            throw new IllegalArgumentException("chunkMs must be >= 1 and warmup >= 0, got " + chunkMs + ", " + warmup);
        }
        this.chunkMs = chunkMs;
        this.warmup = warmup;
    }

    /**
     * The marked questions of some splits of a data set.
     *
     * @param corpus   a data set made with {@code generate-data --pauses}
     * @param splits   the splits to take
     * @param maxItems at most this many (the first, in folder order)
     * @return the items
     * @throws IllegalArgumentException naming the data set when none of its pairs in those splits is marked,
     *     or a meta.json whose marks are malformed
     */
    public static List<Item> items(ConversationCorpus corpus, Set<Split> splits, int maxItems) {
        List<Item> items = new ArrayList<>();
        for (ConversationPair pair : corpus.pairs()) {
            if (items.size() >= maxItems || !splits.contains(pair.split())) {
                continue;
            }
            PairMeta meta = pair.meta().orElse(null);
            TurnMarks marks;
            try {
                marks = meta == null ? null : TurnMarks.of(meta).orElse(null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(pair.folder().resolve(ConversationPair.META_JSON) + ": "
                        + e.getMessage(), e);
            }
            if (marks != null) {
                items.add(new Item(pair.id(), pair.split(), pair.userWav(), marks));
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(corpus.root() + ": no pair of split(s) " + splits.stream().map(Split::id)
                    .toList() + " carries turn-taking marks (meta.json generator." + TurnMarks.KEY + "); make the "
                    + "questions with bin/samvaad generate-data --pauses 0.75");
        }
        return items;
    }

    /**
     * Feeds every item to a fresh session of {@code agent}.
     *
     * @param agent the agent, with or without an end-of-turn predictor
     * @param items the questions
     * @return one outcome per item, in order
     */
    public List<Outcome> run(ConversationAgent agent, List<Item> items) {
        for (int i = 0; i < warmup && !items.isEmpty(); i++) {
            feed(agent, items.get(0));
        }
        List<Outcome> out = new ArrayList<>();
        for (Item item : items) {
            out.add(feed(agent, item));
        }
        return out;
    }

    /** One question through one session. */
    private Outcome feed(ConversationAgent agent, Item item) {
        WavAudio wav = WavReader.read(item.wav());
        float[] pcm = wav.toMono();
        int rate = wav.sampleRate();
        Map<Integer, Double> decidedAt = new ConcurrentHashMap<>();
        List<TurnReport> reports = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] pushed = new long[1];
        ConversationSession session = agent.newSession(rate, new ConversationListener() {
            @Override
            public void onSpeechEnd(int turn, int[][] questionCodes) {
                // Called inside push: the decision came with the chunk just pushed.
                decidedAt.put(turn, (double) pushed[0] / rate);
            }

            @Override
            public void onReply(TurnReport report) {
                reports.add(report);
            }
        });
        int chunk = Math.max(1, (int) Math.round((double) rate * chunkMs / 1000));
        for (int at = 0; at < pcm.length; at += chunk) {
            int end = Math.min(pcm.length, at + chunk);
            pushed[0] = end;
            session.push(Arrays.copyOfRange(pcm, at, end));
        }
        pushed[0] = pcm.length;
        session.finish();
        session.awaitReplies();
        double speechEnd = item.marks().speechEndSeconds();
        double tailEnd = item.marks().tailEndSeconds();
        boolean cutIn = false;
        boolean cutInTail = false;
        TurnReport after = null;
        double afterStart = Double.NaN;
        List<TurnReport> sorted = new ArrayList<>(reports);
        sorted.sort((a, b) -> Integer.compare(a.turn(), b.turn()));
        for (TurnReport r : sorted) {
            Double decided = decidedAt.get(r.turn());
            if (decided == null) {
                continue;
            }
            double compute = r.hasAudio() ? r.firstAudioMs() / 1000 : 0;
            double start = decided + compute;
            cutInTail |= start < tailEnd;
            if (start < speechEnd) {
                cutIn = true;
            } else if (after == null && r.hasAudio()) {
                after = r;
                afterStart = decided;
            }
        }
        if (after == null) {
            return new Outcome(item, sorted.size(), cutIn, cutInTail, Double.NaN, Double.NaN, Double.NaN, null,
                    Double.NaN);
        }
        double decisionMs = (afterStart - speechEnd) * 1000;
        return new Outcome(item, sorted.size(), cutIn, cutInTail, decisionMs + after.firstAudioMs(), decisionMs,
                after.firstAudioMs(), after.endOfTurn().name().toLowerCase(Locale.ROOT), after.endProbability());
    }

    /**
     * The figures of one agent over the outcomes.
     *
     * @param outcomes what it did
     * @return turns, latency p50/p95/mean, cut-in rates overall, by pause bin and for the target's turns
     */
    public static Map<String, Object> summary(List<Outcome> outcomes) {
        Map<String, Object> s = new LinkedHashMap<>();
        double[] latency = outcomes.stream().mapToDouble(Outcome::latencyMs).filter(v -> !Double.isNaN(v)).toArray();
        double[] decision = outcomes.stream().mapToDouble(Outcome::decisionMs).filter(v -> !Double.isNaN(v)).toArray();
        double[] compute = outcomes.stream().mapToDouble(Outcome::computeMs).filter(v -> !Double.isNaN(v)).toArray();
        s.put("turns", outcomes.size());
        s.put("turnsWithReplyAfterEnd", latency.length);
        s.put("latencyP50Ms", round(LatencySummary.percentile(latency, 50)));
        s.put("latencyP95Ms", round(LatencySummary.percentile(latency, 95)));
        s.put("latencyMeanMs", round(Arrays.stream(latency).average().orElse(Double.NaN)));
        s.put("silenceWaitedP50Ms", round(LatencySummary.percentile(decision, 50)));
        s.put("computeP50Ms", round(LatencySummary.percentile(compute, 50)));
        s.put("computeP95Ms", round(LatencySummary.percentile(compute, 95)));
        s.put("cutIns", rate(outcomes, o -> true));
        s.put("cutInsCountingTail", rate(outcomes, o -> true, Outcome::cutInTail));
        s.put("cutInsPausesUpTo500ms", rate(outcomes, o -> o.item().marks().pauses().size() > 0
                && o.item().marks().longestPauseMs() <= TARGET_PAUSE_MS));
        Map<String, Object> bins = new LinkedHashMap<>();
        for (String bin : binNames()) {
            bins.put(bin, rate(outcomes, o -> bin(o.item().marks()).equals(bin)));
        }
        s.put("cutInsByLongestPause", bins);
        return s;
    }

    /** The bin of a turn: no pause, or its longest pause's range. */
    static String bin(TurnMarks marks) {
        if (marks.pauses().isEmpty()) {
            return "no pause";
        }
        double ms = marks.longestPauseMs();
        double lo = 0;
        for (double edge : BIN_EDGES) {
            if (ms < edge) {
                return label(lo, edge);
            }
            lo = edge;
        }
        return "pause >= " + (int) lo + " ms";
    }

    static List<String> binNames() {
        List<String> names = new ArrayList<>(List.of("no pause"));
        double lo = 0;
        for (double edge : BIN_EDGES) {
            names.add(label(lo, edge));
            lo = edge;
        }
        names.add("pause >= " + (int) lo + " ms");
        return names;
    }

    private static String label(double lo, double hi) {
        return lo == 0 ? "pause < " + (int) hi + " ms" : "pause " + (int) lo + "-" + (int) hi + " ms";
    }

    /** {@code {turns, cutIns, rate}} over the outcomes {@code which} accepts. */
    private static Map<String, Object> rate(List<Outcome> outcomes, java.util.function.Predicate<Outcome> which) {
        return rate(outcomes, which, Outcome::cutIn);
    }

    private static Map<String, Object> rate(List<Outcome> outcomes, java.util.function.Predicate<Outcome> which,
                                            java.util.function.Predicate<Outcome> cutIn) {
        long n = outcomes.stream().filter(which).count();
        long cut = outcomes.stream().filter(which).filter(cutIn).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("turns", n);
        m.put("cutIns", cut);
        m.put("rate", n == 0 ? null : Math.round(10_000.0 * cut / n) / 10_000.0);
        return m;
    }

    /**
     * The whole report: settings, machine, each agent's summary and every turn.
     *
     * @param settings what to record beside the figures
     * @param results  agent name -> its outcomes (same items, same order)
     * @return the report as a JSON tree
     */
    public static Map<String, Object> toJson(Map<String, Object> settings, Map<String, List<Outcome>> results) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", new LinkedHashMap<>(settings));
        json.put("machine", Machine.describe());
        json.put("latencyFrom", "the user's last speech sample (generator.turn.speechEndS) to the first reply audio:"
                + " audio time to the end of the chunk on which the turn was ended, plus the agent's wall time from"
                + " that decision to its first reply audio");
        json.put("cutIn", "a reply that started (decision plus compute) before the user's last speech sample;"
                + " cutInsCountingTail: before the end of the speech's faint decay (generator.turn.tailEndS)");
        Map<String, Object> summaries = new LinkedHashMap<>();
        results.forEach((name, outcomes) -> summaries.put(name, summary(outcomes)));
        json.put("summary", summaries);
        List<Map<String, Object>> turns = new ArrayList<>();
        List<String> names = new ArrayList<>(results.keySet());
        int n = names.isEmpty() ? 0 : results.get(names.get(0)).size();
        for (int i = 0; i < n; i++) {
            Item item = results.get(names.get(0)).get(i).item();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("input", item.name());
            t.put("split", item.split().id());
            t.put("speechEndS", item.marks().speechEndSeconds());
            t.put("tailEndS", item.marks().tailEndSeconds());
            t.put("pausesMs", item.marks().pauses().stream().map(p -> round(p.millis())).toList());
            for (String name : names) {
                Outcome o = results.get(name).get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("turns", o.turns());
                m.put("cutIn", o.cutIn());
                m.put("cutInCountingTail", o.cutInTail());
                m.put("latencyMs", number(o.latencyMs()));
                m.put("silenceWaitedMs", number(o.decisionMs()));
                m.put("computeMs", number(o.computeMs()));
                m.put("endOfTurn", o.endOfTurn());
                m.put("probability", number(o.probability()));
                t.put(name, m);
            }
            turns.add(t);
        }
        json.put("turns", turns);
        return json;
    }

    /**
     * The side-by-side table (Markdown).
     *
     * @param results agent name -> its outcomes
     * @return the table
     */
    @SuppressWarnings("unchecked")
    public static String toMarkdown(Map<String, List<Outcome>> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| end of turn | turns | latency p50 ms | p95 ms | cut-ins, pauses <= 500 ms |");
        for (String bin : binNames()) {
            sb.append(' ').append(bin).append(" |");
        }
        sb.append('\n').append("|---|---:|---:|---:|---:|");
        sb.append("---:|".repeat(binNames().size())).append('\n');
        results.forEach((name, outcomes) -> {
            Map<String, Object> s = summary(outcomes);
            Map<String, Object> target = (Map<String, Object>) s.get("cutInsPausesUpTo500ms");
            sb.append("| ").append(name).append(" | ").append(s.get("turns")).append(" | ")
                    .append(fmt(s.get("latencyP50Ms"))).append(" | ").append(fmt(s.get("latencyP95Ms"))).append(" | ")
                    .append(cell(target)).append(" |");
            Map<String, Object> bins = (Map<String, Object>) s.get("cutInsByLongestPause");
            for (String bin : binNames()) {
                sb.append(' ').append(cell((Map<String, Object>) bins.get(bin))).append(" |");
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    private static String cell(Map<String, Object> rate) {
        Object r = rate.get("rate");
        return r == null ? "-" : String.format(Locale.ROOT, "%.1f%% (%s/%s)", 100 * ((Number) r).doubleValue(),
                rate.get("cutIns"), rate.get("turns"));
    }

    private static String fmt(Object v) {
        return v instanceof Number n && !Double.isNaN(n.doubleValue()) ? String.format(Locale.ROOT, "%.0f", n.doubleValue())
                : "-";
    }

    private static Double number(double v) {
        return Double.isNaN(v) ? null : round(v);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : v;
    }

    @Override
    public String toString() {
        return "TurnTakingEvaluator[chunk " + chunkMs + " ms, warmup " + warmup + "]";
    }

    /** {@return the chunk, ms} */
    public int chunkMs() {
        return chunkMs;
    }
}
