package dev.samvaad.dataset.synth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A question or answer text with slot placeholders: {@code {name}} takes a slot value, and
 * {@code {a+b}}, {@code {a-b}}, {@code {a*b}} take the integer result of two number slots, so an
 * arithmetic answer carries the right number.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern EXPRESSION = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)([+*-])([A-Za-z_][A-Za-z0-9_]*)");

    private final String text;
    private final List<Object> parts = new ArrayList<>();
    private final Set<String> names = new LinkedHashSet<>();

    private record Slot(String name) {}

    private record Expression(String left, char op, String right) {}

    private Template(String text) {
        this.text = text;
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            parts.add(text.substring(last, m.start()));
            String inner = m.group(1).replace(" ", "");
            Matcher expr = EXPRESSION.matcher(inner);
            if (NAME.matcher(inner).matches()) {
                parts.add(new Slot(inner));
                names.add(inner);
            } else if (expr.matches()) {
                parts.add(new Expression(expr.group(1), expr.group(2).charAt(0), expr.group(3)));
                names.add(expr.group(1));
                names.add(expr.group(3));
            } else {
                throw new IllegalArgumentException("placeholder {" + m.group(1) + "} in \"" + text
                        + "\" is neither a slot name nor one of {a+b}, {a-b}, {a*b}");
            }
            last = m.end();
        }
        String rest = text.substring(last);
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0 || parts.stream().anyMatch(
                p -> p instanceof String s && (s.indexOf('{') >= 0 || s.indexOf('}') >= 0))) {
            throw new IllegalArgumentException("unbalanced braces in \"" + text + "\"");
        }
        parts.add(rest);
    }

    /**
     * Parses a template text.
     *
     * @param text the text with {@code {slot}} and {@code {a+b}} placeholders
     * @return the template
     * @throws IllegalArgumentException if a placeholder is malformed or a brace unbalanced
     */
    public static Template parse(String text) {
        return new Template(text);
    }

    /** {@return the slot names this template reads} */
    public Set<String> slotNames() {
        return Set.copyOf(names);
    }

    /**
     * Tells whether the template reads a slot.
     *
     * @param name a slot name
     * @return whether the template reads it, directly or inside an expression
     */
    public boolean uses(String name) {
        return names.contains(name);
    }

    /**
     * Fills the placeholders; negative results are written as {@code -7}.
     *
     * @param values a value for every slot read
     * @return the filled text
     * @throws IllegalArgumentException if a slot has no value, or an expression's value is not an integer
     */
    public String fill(Map<String, String> values) {
        return fill(values, "-");
    }

    /**
     * The text with every placeholder filled from {@code values}. A negative expression result is
     * written as {@code negativeWord} followed by its magnitude (e.g. {@code "మైనస్ 7"}), since TTS
     * engines often read {@code -7} as plain "seven".
     *
     * @param values       a value for every slot read
     * @param negativeWord how a negative result is spoken; {@code "-"} writes a minus sign
     * @return the filled text
     * @throws IllegalArgumentException if a slot has no value, or an expression's value is not an integer
     */
    public String fill(Map<String, String> values, String negativeWord) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
            } else if (part instanceof Slot slot) {
                out.append(value(values, slot.name()));
            } else {
                Expression e = (Expression) part;
                long a = number(values, e.left()), b = number(values, e.right());
                long result = switch (e.op()) {
                    case '+' -> a + b;
                    case '-' -> a - b;
                    default -> a * b;
                };
                out.append(result >= 0 ? Long.toString(result)
                        : negativeWord.equals("-") ? "-" + -result : negativeWord + " " + -result);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    private String value(Map<String, String> values, String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no value for {" + name + "} in \"" + text + "\"");
        }
        return v;
    }

    private long number(Map<String, String> values, String name) {
        String v = value(values, name);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("{" + name + "} = \"" + v + "\" is not an integer, needed by \""
                    + text + "\"", e);
        }
    }
}
