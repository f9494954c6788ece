package dev.samvaad.dataset.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A text dialogue corpus: intents, each with several question wordings and one answer, and the
 * slot value lists that slot intents draw from. The built-in Telugu corpus ships as a resource;
 * users replace it with their own file in the same format ({@code samvaad-corpus/1}, see the
 * dataset README).
 */
public final class DialogueCorpus {
    /** The {@code format} value of corpus files this build reads. */
    public static final String FORMAT = "samvaad-corpus/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String language;
    private final String description;
    private final Map<String, List<String>> slotValues;
    private final List<Intent> intents;
    private final Map<String, Intent> byId;

    private DialogueCorpus(String source, String language, String description,
            Map<String, List<String>> slotValues, List<Intent> intents) {
        this.source = source;
        this.language = language;
        this.description = description;
        this.slotValues = slotValues;
        this.intents = intents;
        Map<String, Intent> ids = new LinkedHashMap<>();
        intents.forEach(i -> ids.put(i.id(), i));
        this.byId = Map.copyOf(ids);
    }

    /**
     * The corpus shipped with Samvaad for a language.
     *
     * @param language a language code; today only {@code "te"} ships
     * @return the built-in corpus
     * @throws CorpusException if there is none for {@code language}
     */
    public static DialogueCorpus builtIn(String language) {
        String resource = "corpus-" + language + ".json";
        try (InputStream in = DialogueCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new CorpusException("no built-in corpus for language '" + language
                        + "'; pass your own corpus file (format " + FORMAT + ")");
            }
            return parse(in, "built-in " + resource);
        } catch (IOException e) {
            throw new UncheckedIOException("reading built-in " + resource, e);
        }
    }

    /**
     * Reads a corpus file.
     *
     * @param file a corpus in the {@value #FORMAT} format
     * @return the corpus
     * @throws CorpusException naming the file and the intent when it cannot be read or is malformed
     */
    public static DialogueCorpus load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new CorpusException(file + ": cannot read corpus: " + e.getMessage(), e);
        }
    }

    /**
     * A corpus of bare questions with no answers (a text file, one question a line), for a
     * {@link ResponseSource} such as an LLM to answer. Each question is its own intent
     * ({@code q0001}, ...) with one wording and an empty corpus answer, so only the {@code train},
     * {@code val} and {@code test-voice} splits apply.
     *
     * @param questions the questions; blank and repeated ones are skipped
     * @param language  their language code
     * @param source    names them in error messages and in meta.json
     * @return the corpus
     * @throws CorpusException if there is no question or one has placeholders
     */
    public static DialogueCorpus ofQuestions(List<String> questions, String language, String source) {
        List<Intent> intents = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String q : questions) {
            String text = q.strip();
            if (text.isEmpty() || !seen.add(text)) {
                continue;
            }
            Template wording;
            try {
                wording = Template.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CorpusException(source + ": " + e.getMessage(), e);
            }
            if (!wording.slotNames().isEmpty()) {
                throw new CorpusException(source + ": question \"" + text + "\" has placeholders; "
                        + "slots need a corpus file (format " + FORMAT + ")");
            }
            intents.add(new Intent(String.format("q%04d", intents.size() + 1), "file", Map.of(), List.of(wording),
                    Template.parse(""), "-"));
        }
        if (intents.isEmpty()) {
            throw new CorpusException(source + ": no questions");
        }
        return new DialogueCorpus(source, language, "questions from " + source, Map.of(), List.copyOf(intents));
    }

    /**
     * Reads a question list: UTF-8 text, one question a line; blank lines and {@code #} comments
     * are skipped.
     *
     * @param file     the question list
     * @param language the questions' language code
     * @return the corpus, as {@link #ofQuestions} makes it
     * @throws CorpusException naming the file when it cannot be read or holds no question
     */
    public static DialogueCorpus loadQuestions(Path file, String language) {
        try {
            List<String> lines = Files.readAllLines(file).stream()
                    .filter(l -> !l.strip().startsWith("#")).toList();
            return ofQuestions(lines, language, file.toString());
        } catch (IOException e) {
            throw new CorpusException(file + ": cannot read questions: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a corpus.
     *
     * @param in     the corpus JSON
     * @param source names it in error messages
     * @return the corpus
     * @throws CorpusException naming the source and the intent when it is malformed
     */
    public static DialogueCorpus parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new CorpusException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CorpusException(source + ": cannot read corpus: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CorpusException(source + ": expected a JSON object at the top");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new CorpusException(source + ": \"format\" must be \"" + FORMAT + "\", got " + root.path("format"));
        }
        String language = text(root, "language", source);
        Map<String, List<String>> slots = new LinkedHashMap<>();
        root.path("slots").fields().forEachRemaining(e -> {
            List<String> values = strings(e.getValue(), source + ": slots." + e.getKey());
            if (values.isEmpty()) {
                throw new CorpusException(source + ": slot list \"" + e.getKey() + "\" is empty");
            }
            if (new HashSet<>(values).size() != values.size()) {
                throw new CorpusException(source + ": slot list \"" + e.getKey() + "\" has duplicate values");
            }
            slots.put(e.getKey(), List.copyOf(values));
        });
        if (!root.path("intents").isArray() || root.path("intents").isEmpty()) {
            throw new CorpusException(source + ": \"intents\" must be a non-empty array");
        }
        List<Intent> intents = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, String> questionOwner = new HashMap<>();
        String negativeWord = root.path("negativeWord").asText("-");
        for (JsonNode node : root.path("intents")) {
            Intent intent = intent(node, slots, negativeWord, source);
            if (!ids.add(intent.id())) {
                throw new CorpusException(source + ": intent id \"" + intent.id() + "\" appears twice");
            }
            for (Template q : intent.questions()) {
                String previous = questionOwner.putIfAbsent(q.toString(), intent.id());
                if (previous != null) {
                    throw new CorpusException(source + ": question \"" + q + "\" appears in both \"" + previous + "\" and \""
                            + intent.id() + "\"");
                }
            }
            intents.add(intent);
        }
        return new DialogueCorpus(source, language, root.path("description").asText(""),
                Collections.unmodifiableMap(slots), List.copyOf(intents));
    }

    private static Intent intent(JsonNode node, Map<String, List<String>> slotLists, String negativeWord,
            String source) {
        String id = text(node, "id", source + ": an intent");
        String where = source + ": intent \"" + id + "\"";
        Map<String, String> slots = new LinkedHashMap<>();
        node.path("slots").fields().forEachRemaining(e -> slots.put(e.getKey(), e.getValue().asText()));
        for (Map.Entry<String, String> slot : slots.entrySet()) {
            if (!slotLists.containsKey(slot.getValue())) {
                throw new CorpusException(where + ": slot {" + slot.getKey() + "} has kind \""
                        + slot.getValue() + "\", which is not in \"slots\" " + slotLists.keySet());
            }
        }
        List<Template> questions = new ArrayList<>();
        for (String q : strings(node.path("questions"), where + ".questions")) {
            questions.add(template(q, slots, where));
        }
        if (questions.isEmpty()) {
            throw new CorpusException(where + ": has no questions");
        }
        if (questions.stream().map(Template::toString).distinct().count() != questions.size()) {
            throw new CorpusException(where + ": has the same question wording twice");
        }
        Template answer = template(text(node, "answer", where), slots, where);
        return new Intent(id, node.path("category").asText("general"), slots, questions, answer, negativeWord);
    }

    /** Parses a template and checks it reads exactly the intent's declared slots. */
    private static Template template(String text, Map<String, String> slots, String where) {
        Template t;
        try {
            t = Template.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CorpusException(where + ": " + e.getMessage(), e);
        }
        for (String used : t.slotNames()) {
            if (!slots.containsKey(used)) {
                throw new CorpusException(where + ": \"" + text + "\" uses {" + used + "}, which the intent does not declare");
            }
        }
        for (String declared : slots.keySet()) {
            if (!t.uses(declared)) {
                throw new CorpusException(where + ": \"" + text + "\" does not carry {" + declared + "}");
            }
        }
        return t;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new CorpusException(where + ": \"" + field + "\" must be a non-empty string");
        }
        return v.asText().strip();
    }

    private static List<String> strings(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new CorpusException(where + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new CorpusException(where + " holds a value that is not a non-empty string: " + v);
            }
            out.add(v.asText().strip());
        }
        return out;
    }

    /**
     * This corpus reduced to the given intents, in the given order (e.g. a handful of short
     * exchanges for a quick run). Slot lists are kept whole.
     *
     * @param ids intent ids of this corpus
     * @return the smaller corpus
     * @throws CorpusException naming the unknown ids, or when {@code ids} is empty
     */
    public DialogueCorpus onlyIntents(List<String> ids) {
        if (ids.isEmpty()) {
            throw new CorpusException(source + ": an intent subset needs at least one intent id");
        }
        List<String> unknown = ids.stream().filter(id -> !byId.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new CorpusException(source + " has no intent " + String.join(", ", unknown)
                    + " (it has: " + String.join(", ", byId.keySet().stream().sorted().toList()) + ")");
        }
        List<Intent> chosen = ids.stream().distinct().map(byId::get).toList();
        return new DialogueCorpus(source + " (intents " + String.join(",", ids.stream().distinct().toList()) + ")",
                language, description, slotValues, chosen);
    }

    /** {@return where the corpus came from (a file path or the built-in resource name)} */
    public String source() {
        return source;
    }

    /** {@return the language code, e.g. {@code "te"}} */
    public String language() {
        return language;
    }

    /** {@return the corpus' own description} */
    public String description() {
        return description;
    }

    /** {@return the intents, in corpus order} */
    public List<Intent> intents() {
        return intents;
    }

    /**
     * Looks up an intent.
     *
     * @param id an intent id
     * @return the intent, or empty if the corpus has none of that id
     */
    public Optional<Intent> intent(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** {@return slot kind -> its values} */
    public Map<String, List<String>> slotValues() {
        return slotValues;
    }

    /**
     * Every distinct pair the corpus can produce: each wording of each intent, with every
     * combination of slot values.
     *
     * @return the pairs, intent by intent
     */
    public List<QaPair> expand() {
        List<QaPair> out = new ArrayList<>();
        for (Intent intent : intents) {
            List<Map<String, String>> assignments = assignments(intent, slotValues);
            for (int w = 0; w < intent.questions().size(); w++) {
                for (Map<String, String> values : assignments) {
                    out.add(intent.pair(w, values));
                }
            }
        }
        return out;
    }

    /** Every assignment of values to the intent's placeholders, given lists per slot kind. */
    static List<Map<String, String>> assignments(Intent intent, Map<String, List<String>> valuesByKind) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of());
        for (Map.Entry<String, String> slot : intent.slots().entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String value : valuesByKind.get(slot.getValue())) {
                    Map<String, String> m = new HashMap<>(partial);
                    m.put(slot.getKey(), value);
                    next.add(Map.copyOf(m));
                }
            }
            out = next;
        }
        return out;
    }
}
