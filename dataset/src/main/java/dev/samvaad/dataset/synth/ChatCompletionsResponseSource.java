package dev.samvaad.dataset.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ResponseSource} that asks a language model through the OpenAI-compatible
 * {@code /v1/chat/completions} endpoint, which llama.cpp's server, Ollama and vLLM all speak.
 *
 * <p>Each {@link #answer} is one non-streaming request with a system prompt and the question as
 * the user message. Transport failures, timeouts, HTTP 408, 429 and 5xx are retried with
 * exponential backoff (a numeric {@code Retry-After} is honoured, up to 10 s); any other non-2xx
 * status fails at once. The reply's text is cleaned for speech synthesis: a leading
 * {@code <think>} block, markdown markers and surrounding quotes are removed and whitespace is
 * collapsed to single spaces.
 *
 * <p>Thread-safe: one {@link HttpClient} is shared by all callers.
 */
public final class ChatCompletionsResponseSource implements ResponseSource {

    /** The system prompt used when {@link Options.Builder#systemPrompt} is not called. */
    public static final String DEFAULT_SYSTEM_PROMPT =
            "You are a friendly voice assistant. Answer briefly, in one or two short sentences,"
                    + " in the same language as the question. Your answer will be spoken aloud,"
                    + " so write plain text only: no markdown, no lists, no emojis.";

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionsResponseSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
    private static final int SNIPPET_CHARS = 200;

    private static final Pattern LEADING_THINK =
            Pattern.compile("<think>.*?</think>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern MARKDOWN_MARKERS = Pattern.compile("[*_#`]+");
    // Unicode White_Space only: keeps ZWJ/ZWNJ, which Indic scripts need inside words.
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String[][] QUOTE_PAIRS = {
        {"\"", "\""}, {"'", "'"}, {"\u201C", "\u201D"}, {"\u2018", "\u2019"}, {"\u00AB", "\u00BB"}
    };

    private final Options options;
    private final URI endpoint;
    private final HttpClient http;

    /**
     * A source that sends its requests as {@code options} say; nothing is sent until
     * {@link #answer}.
     *
     * @param options server, model, prompt, limits and retries
     */
    public ChatCompletionsResponseSource(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.endpoint = endpointFor(options.baseUrl());
        // HTTP/1.1: the default HTTP/2 sends an h2c upgrade on plain http, which some local
        // servers mishandle, and gains nothing for one small request per exchange.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .build();
    }

    /** The endpoint requests go to: {@code <base>/v1/chat/completions}, never with a doubled {@code /v1}. */
    private static URI endpointFor(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base.endsWith("/v1") ? base + "/chat/completions" : base + "/v1/chat/completions");
    }

    @Override
    public String answer(String question) {
        Objects.requireNonNull(question, "question");
        if (question.isBlank()) {
            throw new IllegalArgumentException("question is blank");
        }
        HttpRequest request = request(question);
        int maxAttempts = options.maxAttempts();
        String lastFailure = null;
        Throwable lastCause = null;
        Duration delay = Duration.ZERO;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleep(delay);
            }
            try {
                HttpResponse<String> response = send(request);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parseAnswer(response.body(), attempt);
                }
                lastFailure = "HTTP " + status + ", body: " + snippet(response.body());
                lastCause = null;
                if (!isRetryable(status)) {
                    throw new ResponseSourceException("chat completion request to " + endpoint + " failed on attempt "
                            + attempt + " of " + maxAttempts + " with a status not worth retrying: " + lastFailure);
                }
                delay = retryAfter(response).orElse(backoff(attempt));
            } catch (IOException e) {
                lastFailure = e instanceof HttpTimeoutException
                        ? "timed out (requestTimeout " + options.requestTimeout().toMillis() + " ms): " + describe(e)
                        : describe(e);
                lastCause = e;
                delay = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResponseSourceException("interrupted while waiting for " + endpoint
                        + " on attempt " + attempt + " of " + maxAttempts, e);
            }
            if (attempt < maxAttempts) {
                log.warn("Chat completion attempt {}/{} to {} failed ({}); retrying in {} ms",
                        attempt, maxAttempts, endpoint, lastFailure, delay.toMillis());
            }
        }
        throw new ResponseSourceException("chat completion request to " + endpoint + " failed after "
                + maxAttempts + (maxAttempts == 1 ? " attempt" : " attempts") + "; last failure: " + lastFailure,
                lastCause);
    }

    @Override
    public String describe() {
        return "llm:" + options.model() + "@" + options.baseUrl();
    }

    private HttpRequest request(String question) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", options.model());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", options.systemPrompt());
        messages.addObject().put("role", "user").put("content", question);
        body.put("temperature", options.temperature());
        body.put("max_tokens", options.maxTokens());
        body.put("stream", false);
        if (options.seed() != null) {
            body.put("seed", options.seed());
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a chat completion request", e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (options.apiKey() != null) {
            builder.header("Authorization", "Bearer " + options.apiKey());
        }
        return builder.build();
    }

    /**
     * Sends one request. The request timeout alone only bounds the wait for the response headers,
     * so the whole exchange, body included, is bounded here too and abandoned when it runs over or
     * the caller is interrupted.
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long limitMillis = options.connectTimeout().plus(options.requestTimeout()).toMillis();
        try {
            return future.get(limitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("exchange not finished within " + limitMillis + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause);
        }
    }

    private String parseAnswer(String body, int attempt) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw badReply("a body that is not JSON", body, attempt);
        }
        JsonNode content = root.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw badReply("no choices[0].message.content", body, attempt);
        }
        String text = content.asText().strip();
        Matcher think = LEADING_THINK.matcher(text);
        if (think.lookingAt()) {
            text = text.substring(think.end());
        } else if (text.regionMatches(true, 0, "<think>", 0, "<think>".length())) {
            throw badReply("only an unfinished <think> block (is maxTokens too small?)", body, attempt);
        }
        String answer = clean(text);
        if (answer.isEmpty()) {
            throw badReply("blank content", body, attempt);
        }
        return answer;
    }

    /**
     * Makes model output speakable: no markdown markers (underscores included, which a TTS would
     * read out), single spaces, no surrounding quotes.
     */
    private static String clean(String text) {
        String s = MARKDOWN_MARKERS.matcher(text).replaceAll("");
        s = WHITESPACE.matcher(s).replaceAll(" ").strip();
        boolean stripped;
        do {
            stripped = false;
            for (String[] pair : QUOTE_PAIRS) {
                if (isWrapped(s, pair[0].charAt(0), pair[1].charAt(0))) {
                    s = s.substring(1, s.length() - 1).strip();
                    stripped = true;
                }
            }
        } while (stripped);
        return s;
    }

    /**
     * Whether {@code s} is one quotation from end to end. {@code "a" and "b"} is not, and an
     * apostrophe between letters does not count as a quote.
     */
    private static boolean isWrapped(String s, char open, char close) {
        int last = s.length() - 1;
        if (last < 1 || s.charAt(0) != open || s.charAt(last) != close) {
            return false;
        }
        for (int i = 1; i < last; i++) {
            char c = s.charAt(i);
            if (c != open && c != close) {
                continue;
            }
            boolean apostrophe = (c == '\'' || c == '\u2019')
                    && Character.isLetter(s.charAt(i - 1)) && Character.isLetter(s.charAt(i + 1));
            if (!apostrophe) {
                return false;
            }
        }
        return true;
    }

    private ResponseSourceException badReply(String problem, String body, int attempt) {
        return new ResponseSourceException("chat completion reply from " + endpoint + " (attempt " + attempt
                + " of " + options.maxAttempts() + ") has " + problem + "; body: " + snippet(body));
    }

    /** 408 and 429 say "try again later"; 5xx are server trouble that often passes. */
    private static boolean isRetryable(int status) {
        return status == 408 || status == 429 || (status >= 500 && status < 600);
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.get().strip());
            if (seconds < 0) {
                return Optional.empty();
            }
            Duration wait = Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
            return Optional.of(wait);
        } catch (NumberFormatException e) {
            // An HTTP-date: not worth parsing for a local server; the backoff applies instead.
            return Optional.empty();
        }
    }

    private Duration backoff(int failedAttempt) {
        return options.retryBackoff().multipliedBy(1L << Math.min(failedAttempt - 1, 20));
    }

    private void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResponseSourceException("interrupted while waiting to retry " + endpoint, e);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "<empty>";
        }
        String oneLine = WHITESPACE.matcher(body).replaceAll(" ").strip();
        return oneLine.length() <= SNIPPET_CHARS ? oneLine : oneLine.substring(0, SNIPPET_CHARS) + "...";
    }

    /**
     * How a {@link ChatCompletionsResponseSource} talks to its server. Build with {@link #builder()};
     * only {@code baseUrl} and {@code model} are required.
     *
     * @param baseUrl        the server, as {@code http://host:port} or {@code http://host:port/v1}
     * @param model          the model name sent with each request
     * @param systemPrompt   the system message sent before each question
     * @param temperature    sampling temperature, 0 to 2
     * @param maxTokens      the most tokens an answer may have
     * @param requestTimeout how long one attempt may wait for its reply
     * @param connectTimeout how long connecting may take
     * @param maxAttempts    attempts per question, at least 1
     * @param retryBackoff   the wait before the first retry, doubled for each later one
     * @param apiKey         sent as a bearer token; null for none
     * @param seed           sampling seed sent to the server; null for none
     */
    public record Options(
            URI baseUrl,
            String model,
            String systemPrompt,
            double temperature,
            int maxTokens,
            Duration requestTimeout,
            Duration connectTimeout,
            int maxAttempts,
            Duration retryBackoff,
            String apiKey,
            Long seed) {

        /**
         * Validates every option; a blank {@code apiKey} counts as none.
         *
         * @param baseUrl        the server, http or https, without query or fragment
         * @param model          the model name
         * @param systemPrompt   the system message, not blank
         * @param temperature    sampling temperature, 0 to 2
         * @param maxTokens      the most tokens an answer may have, positive
         * @param requestTimeout how long one attempt may wait for its reply, positive
         * @param connectTimeout how long connecting may take, positive
         * @param maxAttempts    attempts per question, at least 1
         * @param retryBackoff   the wait before the first retry, not negative
         * @param apiKey         sent as a bearer token, or {@code null}
         * @param seed           sampling seed sent to the server, or {@code null}
         * @throws IllegalArgumentException naming the invalid option
         */
        public Options {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!"http".equalsIgnoreCase(baseUrl.getScheme()) && !"https".equalsIgnoreCase(baseUrl.getScheme())) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL: " + baseUrl);
            }
            if (baseUrl.getHost() == null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUrl needs a host and no query or fragment: " + baseUrl);
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model is required");
            }
            if (systemPrompt == null || systemPrompt.isBlank()) {
                throw new IllegalArgumentException("systemPrompt must not be blank");
            }
            if (!(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("temperature must be in [0, 2]: " + temperature);
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
            }
            requirePositive(requestTimeout, "requestTimeout");
            requirePositive(connectTimeout, "connectTimeout");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            if (retryBackoff.isNegative()) {
                throw new IllegalArgumentException("retryBackoff must not be negative: " + retryBackoff);
            }
            if (apiKey != null && apiKey.isBlank()) {
                apiKey = null;
            }
        }

        private static void requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
        }

        /** {@return a builder with the defaults filled in} */
        public static Builder builder() {
            return new Builder();
        }

        /** Like the record's, but never shows the API key, so options can be logged. */
        @Override
        public String toString() {
            return "Options[baseUrl=" + baseUrl + ", model=" + model + ", temperature=" + temperature
                    + ", maxTokens=" + maxTokens + ", requestTimeout=" + requestTimeout
                    + ", connectTimeout=" + connectTimeout + ", maxAttempts=" + maxAttempts
                    + ", retryBackoff=" + retryBackoff + ", apiKey=" + (apiKey == null ? "none" : "***")
                    + ", seed=" + seed + "]";
        }

        /** Builds {@link Options}; every setter but {@code baseUrl} and {@code model} has a default. */
        public static final class Builder {
            private URI baseUrl;
            private String model;
            private String systemPrompt = DEFAULT_SYSTEM_PROMPT;
            private double temperature = 0.7;
            private int maxTokens = 96;
            private Duration requestTimeout = Duration.ofSeconds(30);
            private Duration connectTimeout = Duration.ofSeconds(5);
            private int maxAttempts = 3;
            private Duration retryBackoff = Duration.ofMillis(500);
            private String apiKey;
            private Long seed;

            private Builder() {
            }

            /**
             * The server, as {@code http://host:port} or {@code http://host:port/v1}. Required.
             *
             * @param baseUrl the value
             * @return this builder
             */
            public Builder baseUrl(URI baseUrl) {
                this.baseUrl = baseUrl;
                return this;
            }

            /**
             * The server, as {@code http://host:port} or {@code http://host:port/v1}. Required.
             *
             * @param baseUrl the value
             * @return this builder
             */
            public Builder baseUrl(String baseUrl) {
                return baseUrl(URI.create(baseUrl));
            }

            /**
             * The model name, e.g. {@code qwen2.5}. Required.
             *
             * @param model the value
             * @return this builder
             */
            public Builder model(String model) {
                this.model = model;
                return this;
            }

            /**
             * The system message; default {@link ChatCompletionsResponseSource#DEFAULT_SYSTEM_PROMPT}.
             *
             * @param systemPrompt the value
             * @return this builder
             */
            public Builder systemPrompt(String systemPrompt) {
                this.systemPrompt = systemPrompt;
                return this;
            }

            /**
             * Sampling temperature, 0 to 2; default 0.7.
             *
             * @param temperature the value
             * @return this builder
             */
            public Builder temperature(double temperature) {
                this.temperature = temperature;
                return this;
            }

            /**
             * The most tokens an answer may have; default 96.
             *
             * @param maxTokens the value
             * @return this builder
             */
            public Builder maxTokens(int maxTokens) {
                this.maxTokens = maxTokens;
                return this;
            }

            /**
             * How long one attempt may wait for its reply; default 30 s.
             *
             * @param requestTimeout the value
             * @return this builder
             */
            public Builder requestTimeout(Duration requestTimeout) {
                this.requestTimeout = requestTimeout;
                return this;
            }

            /**
             * How long connecting may take; default 5 s.
             *
             * @param connectTimeout the value
             * @return this builder
             */
            public Builder connectTimeout(Duration connectTimeout) {
                this.connectTimeout = connectTimeout;
                return this;
            }

            /**
             * Attempts per question, the first included; default 3.
             *
             * @param maxAttempts the value
             * @return this builder
             */
            public Builder maxAttempts(int maxAttempts) {
                this.maxAttempts = maxAttempts;
                return this;
            }

            /**
             * The wait before the first retry, doubled for each later one; default 500 ms.
             *
             * @param retryBackoff the value
             * @return this builder
             */
            public Builder retryBackoff(Duration retryBackoff) {
                this.retryBackoff = retryBackoff;
                return this;
            }

            /**
             * Sent as {@code Authorization: Bearer <apiKey>}; default none.
             *
             * @param apiKey the value
             * @return this builder
             */
            public Builder apiKey(String apiKey) {
                this.apiKey = apiKey;
                return this;
            }

            /**
             * Sampling seed sent to the server; default none.
             *
             * @param seed the value
             * @return this builder
             */
            public Builder seed(Long seed) {
                this.seed = seed;
                return this;
            }

            /**
             * Builds the options.
             *
             * @return the options
             * @throws IllegalArgumentException naming the invalid option
             * @throws NullPointerException if {@code baseUrl} is missing
             */
            public Options build() {
                return new Options(baseUrl, model, systemPrompt, temperature, maxTokens, requestTimeout,
                        connectTimeout, maxAttempts, retryBackoff, apiKey, seed);
            }
        }
    }
}
