package dev.samvaad.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one case style of the keys in every JSON file Samvaad writes: camelCase
 * ({@code codecFingerprint}, {@code numPairs}, {@code firstAudioP50Ms}), as Jackson writes the
 * fields of a record. Earlier builds (to commit 8339410) wrote some keys in snake_case
 * ({@code codec_fingerprint}, {@code num_pairs}); readers of files that earlier builds wrote
 * accept that spelling too, through these helpers.
 *
 * <p>Only keys the project chose are converted, never the keys of data maps (intent ids such as
 * {@code food_like}, slot names), so none of these helpers walks a tree.
 */
public final class JsonKeys {
    private JsonKeys() {}

    /**
     * A key in camelCase: {@code best_val_loss} becomes {@code bestValLoss},
     * {@code first_audio_p50_ms} {@code firstAudioP50Ms}; a key without an underscore is returned
     * as it is.
     *
     * @param key a JSON key
     * @return the key in camelCase
     */
    public static String camelCase(String key) {
        if (key.indexOf('_') < 0) {
            return key;
        }
        StringBuilder s = new StringBuilder(key.length());
        boolean upper = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '_' && s.length() > 0) {
                upper = true;
            } else if (c != '_') {
                s.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return s.toString();
    }

    /**
     * The snake_case spelling of a camelCase key, as earlier builds wrote it:
     * {@code codecFingerprint} becomes {@code codec_fingerprint}, {@code firstAudioP50Ms}
     * {@code first_audio_p50_ms}.
     *
     * @param key a camelCase key
     * @return the key in snake_case
     */
    public static String snakeCase(String key) {
        StringBuilder s = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                s.append('_').append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /**
     * A copy of a map read from JSON whose keys are in camelCase, in the same order; when a file
     * holds both spellings of one key, the camelCase one's value is kept.
     *
     * @param <V> the values' type
     * @param map keys in either spelling; {@code null} gives an empty map
     * @return an unmodifiable map with camelCase keys
     */
    public static <V> Map<String, V> camelCaseKeys(Map<String, V> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : map.entrySet()) {
            String key = camelCase(e.getKey());
            if (!key.equals(e.getKey()) && map.containsKey(key)) {
                continue; // both spellings: the camelCase value wins
            }
            out.put(key, e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The field {@code key} of a JSON object, or, when it has none, the field of the key's
     * snake_case spelling (a file of an earlier build); a missing node when neither is there.
     *
     * @param node a JSON object
     * @param key  the camelCase key
     * @return the field's value, never {@code null}
     */
    public static JsonNode path(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null ? value : node.path(snakeCase(key));
    }
}
