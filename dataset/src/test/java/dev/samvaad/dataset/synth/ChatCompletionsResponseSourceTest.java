package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs {@link ChatCompletionsResponseSource} against a real HTTP server on 127.0.0.1, scripted per test. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class ChatCompletionsResponseSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "ఎలా ఉన్నారు?";
    private static final String ANSWER = "నమస్కారం! బాగున్నాను.";

    /** What the server saw of one request. */
    private record Seen(String method, String path, Headers headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** Answers request number {@code index} (0-based). */
    @FunctionalInterface
    private interface Script {
        void handle(HttpExchange exchange, Seen request, int index) throws Exception;
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Script script = (exchange, request, index) -> respond(exchange, 500, "no script");
    private HttpServer server;
    private ExecutorService serverThreads;
    private String baseUrl;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders(),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                int index;
                synchronized (seen) {
                    index = seen.size();
                    seen.add(request);
                }
                script.handle(exchange, request, index);
            } catch (InterruptedException e) {
                // The server is being stopped while a handler sleeps: just let the thread end.
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        // Many handler threads: some tests run requests in parallel, others leave a handler asleep.
        serverThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-llm-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.stop(0);
        serverThreads.shutdownNow();
        serverThreads.awaitTermination(5, TimeUnit.SECONDS);
    }

    private ChatCompletionsResponseSource.Options.Builder options() {
        return ChatCompletionsResponseSource.Options.builder()
                .baseUrl(baseUrl)
                .model("test-model")
                .requestTimeout(Duration.ofSeconds(3))
                .connectTimeout(Duration.ofSeconds(1))
                .retryBackoff(Duration.ofMillis(10));
    }

    private static ChatCompletionsResponseSource source(ChatCompletionsResponseSource.Options.Builder options) {
        return new ChatCompletionsResponseSource(options.build());
    }

    private static String completion(String content) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "test-model");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        return JSON.writeValueAsString(root);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void answerAlways(String content) throws IOException {
        String body = completion(content);
        script = (exchange, request, index) -> respond(exchange, 200, body);
    }

    private String endpoint() {
        return baseUrl + "/v1/chat/completions";
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/v1", "/v1/"})
    void postsTheQuestionAndReturnsTheAnswer(String baseSuffix) throws IOException {
        answerAlways(ANSWER);
        ChatCompletionsResponseSource source = source(options().baseUrl(baseUrl + baseSuffix));

        assertThat(source.answer(QUESTION)).isEqualTo(ANSWER);

        assertThat(seen).hasSize(1);
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.headers().getFirst("Content-Type")).startsWith("application/json");
        assertThat(request.headers().containsKey("Authorization")).isFalse();
        JsonNode body = request.json();
        assertThat(body.path("model").asText()).isEqualTo("test-model");
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").path(0).path("content").asText())
                .isEqualTo(ChatCompletionsResponseSource.DEFAULT_SYSTEM_PROMPT);
        assertThat(body.path("messages").path(1).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").path(1).path("content").asText()).isEqualTo(QUESTION);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(96);
        assertThat(body.path("stream").isBoolean()).isTrue();
        assertThat(body.path("stream").asBoolean()).isFalse();
        assertThat(body.has("seed")).isFalse();
    }

    @Test
    void sendsTheConfiguredPromptSamplingAndSeed() throws IOException {
        answerAlways("Hi.");
        ChatCompletionsResponseSource source = source(options()
                .systemPrompt("Answer in one word.")
                .temperature(0.2)
                .maxTokens(40)
                .seed(42L));

        source.answer("Hello?");

        JsonNode body = seen.get(0).json();
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("Answer in one word.");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(40);
        assertThat(body.path("seed").asLong()).isEqualTo(42L);
    }

    @Test
    void describesModelAndBaseUrl() {
        assertThat(source(options().model("qwen2.5").baseUrl(baseUrl + "/v1")).describe())
                .isEqualTo("llm:qwen2.5@" + baseUrl + "/v1");
    }

    static Stream<Arguments> messyAnswers() {
        return Stream.of(
                Arguments.of("<think>The user greets me.\nI should greet back.</think>\n\nHello there!", "Hello there!"),
                Arguments.of("\"Hello there!\"", "Hello there!"),
                Arguments.of("“నమస్కారం!”", "నమస్కారం!"),
                Arguments.of("**Sure!** I'm _fine_, thanks.\n\n# Bye", "Sure! I'm fine, thanks. Bye"),
                Arguments.of("`ls` lists files.", "ls lists files."),
                Arguments.of("  Line one.\n\nLine   two.\t ", "Line one. Line two."),
                Arguments.of("**\"'It's fine'\"**", "It's fine"),
                // Two quotations are not one surrounding pair.
                Arguments.of("\"Hi,\" she said, \"bye.\"", "\"Hi,\" she said, \"bye.\""),
                // The zero-width non-joiner is part of Telugu spelling, not whitespace.
                Arguments.of("\"శ్రీ\u200Cకాంత్\"", "శ్రీ\u200Cకాంత్"));
    }

    @ParameterizedTest
    @MethodSource("messyAnswers")
    void cleansTheAnswerForSpeech(String content, String expected) throws IOException {
        answerAlways(content);
        assertThat(source(options()).answer("Hello?")).isEqualTo(expected);
    }

    @Test
    void anUnfinishedThinkBlockIsNoAnswer() throws IOException {
        answerAlways("<think>Let me consider the many ways one could greet");
        assertThatThrownBy(() -> source(options()).answer("Hello?"))
                .isInstanceOf(ResponseSourceException.class)
                .hasMessageContaining("unfinished <think>")
                .hasMessageContaining(endpoint());
    }

    @Test
    void retriesServerErrorsUntilAnAnswerComes() throws IOException {
        String ok = completion(ANSWER);
        script = (exchange, request, index) -> {
            if (index < 2) {
                respond(exchange, 503, "{\"error\":\"loading model\"}");
            } else {
                respond(exchange, 200, ok);
            }
        };

        assertThat(source(options().maxAttempts(3)).answer(QUESTION)).isEqualTo(ANSWER);
        assertThat(seen).hasSize(3);
        assertThat(seen).extracting(Seen::body).containsOnly(seen.get(0).body());
    }

    @Test
    void honoursAZeroRetryAfterInsteadOfTheBackoff() throws IOException {
        String ok = completion(ANSWER);
        script = (exchange, request, index) -> {
            if (index == 0) {
                exchange.getResponseHeaders().set("Retry-After", "0");
                respond(exchange, 429, "{\"error\":\"slow down\"}");
            } else {
                respond(exchange, 200, ok);
            }
        };
        ChatCompletionsResponseSource source = source(options().retryBackoff(Duration.ofSeconds(10)));

        long start = System.nanoTime();
        assertThat(source.answer(QUESTION)).isEqualTo(ANSWER);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(seen).hasSize(2);
    }

    @Test
    void waitsAsLongAsRetryAfterSays() throws IOException {
        String ok = completion(ANSWER);
        script = (exchange, request, index) -> {
            if (index == 0) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, 503, "busy");
            } else {
                respond(exchange, 200, ok);
            }
        };

        long start = System.nanoTime();
        assertThat(source(options()).answer(QUESTION)).isEqualTo(ANSWER);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void givesUpOnAServerThatNeverAnswers() {
        script = (exchange, request, index) -> Thread.sleep(10_000);
        ChatCompletionsResponseSource source = source(options()
                .requestTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofMillis(300))
                .maxAttempts(3));

        long start = System.nanoTime();
        assertThatThrownBy(() -> source.answer(QUESTION))
                .isInstanceOf(ResponseSourceException.class)
                .hasMessageContaining(endpoint())
                .hasMessageContaining("3 attempts")
                .hasMessageContaining("300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(seen).hasSize(3);
    }

    @Test
    void givesUpOnAReplyWhoseBodyStalls() {
        script = (exchange, request, index) -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"choices\":[".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(10_000);
        };
        ChatCompletionsResponseSource source = source(options()
                .requestTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofMillis(300))
                .maxAttempts(1));

        long start = System.nanoTime();
        assertThatThrownBy(() -> source.answer(QUESTION))
                .isInstanceOf(ResponseSourceException.class)
                .hasMessageContaining(endpoint())
                .hasMessageContaining("1 attempt");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void reportsARefusedConnectionWithTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        ChatCompletionsResponseSource source = source(options().baseUrl(url).maxAttempts(2));

        assertThatThrownBy(() -> source.answer(QUESTION))
                .isInstanceOf(ResponseSourceException.class)
                .hasMessageContaining(url + "/v1/chat/completions")
                .hasMessageContaining("2 attempts")
                .hasCauseInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "404 | {\"error\":\"model 'test-model' not found\"}",
        "401 | {\"error\":\"invalid api key\"}",
        "400 | {\"error\":\"context length exceeded\"}"})
    void doesNotRetryClientErrors(int status, String body) {
        script = (exchange, request, index) -> respond(exchange, status, body);

        assertThatThrownBy(() -> source(options()).answer(QUESTION))
                .isInstanceOf(ResponseSourceException.class)
                .hasMessageContaining(endpoint())
                .hasMessageContaining("HTTP " + status)
                .hasMessageContaining(body)
                .hasMessageContaining("attempt 1 of 3");
        assertThat(seen).hasSize(1);
    }

    @Test
    void capsTheBodySnippetInMessages() {
        String body = "x".repeat(5_000);
        script = (exchange, request, index) -> respond(exchange, 404, body);

        assertThatThrownBy(() -> source(options()).answer(QUESTION))
                .isInstanceOf(ResponseSourceException.class)
                .hasMessageContaining("x".repeat(200))
                .hasMessageNotContaining("x".repeat(201));
    }

    static Stream<Arguments> badReplies() throws IOException {
        return Stream.of(
                Arguments.of("<html>502 Bad Gateway</html>", "not JSON"),
                Arguments.of("{\"object\":\"error\",\"message\":\"oops\"}", "no choices[0].message.content"),
                Arguments.of("{\"choices\":[]}", "no choices[0].message.content"),
                Arguments.of("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null}}]}",
                        "no choices[0].message.content"),
                Arguments.of("", "no choices[0].message.content"),
                Arguments.of(completion("  \n\t "), "blank content"),
                Arguments.of(completion("<think>hmm</think> ** ## "), "blank content"));
    }

    @ParameterizedTest
    @MethodSource("badReplies")
    void reportsBadRepliesWithoutRetrying(String body, String problem) {
        script = (exchange, request, index) -> respond(exchange, 200, body);

        assertThatThrownBy(() -> source(options()).answer(QUESTION))
                .isInstanceOf(ResponseSourceException.class)
                .hasMessageContaining(endpoint())
                .hasMessageContaining(problem);
        assertThat(seen).hasSize(1);
    }

    @Test
    void sendsTheApiKeyOnlyWhenConfigured() throws IOException {
        answerAlways("Hi.");

        source(options().apiKey("sk-test")).answer("Hello?");
        source(options().apiKey("  ")).answer("Hello?");
        source(options()).answer("Hello?");

        assertThat(seen).hasSize(3);
        assertThat(seen.get(0).headers().getFirst("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(seen.get(1).headers().containsKey("Authorization")).isFalse();
        assertThat(seen.get(2).headers().containsKey("Authorization")).isFalse();
    }

    @Test
    void servesManyThreadsFromOneInstance() throws Exception {
        script = (exchange, request, index) -> {
            String question = request.json().path("messages").path(1).path("content").asText();
            Thread.sleep(5); // keeps requests in flight together
            respond(exchange, 200, completion("Echo: " + question));
        };
        ChatCompletionsResponseSource source = source(options());
        int threads = 8;
        int perThread = 5;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(callers.submit(() -> {
                    List<String> answers = new ArrayList<>();
                    for (int q = 0; q < perThread; q++) {
                        String question = "ప్రశ్న " + thread + "-" + q + "?";
                        answers.add(question + " => " + source.answer(question));
                    }
                    return answers;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<String> answers = results.get(t).get(10, TimeUnit.SECONDS);
                for (int q = 0; q < perThread; q++) {
                    String question = "ప్రశ్న " + t + "-" + q + "?";
                    assertThat(answers.get(q)).isEqualTo(question + " => Echo: " + question);
                }
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    void anInterruptStopsTheWaitAndKeepsTheFlag() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        script = (exchange, request, index) -> {
            arrived.countDown();
            Thread.sleep(10_000);
        };
        ChatCompletionsResponseSource source = source(options().requestTimeout(Duration.ofSeconds(10)));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                source.answer(QUESTION);
            } catch (Throwable t) {
                thrown.set(t);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        caller.interrupt();
        caller.join(5_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(thrown.get()).isInstanceOf(ResponseSourceException.class).hasMessageContaining("interrupted");
        assertThat(flagKept.get()).isTrue();
    }

    @Test
    void validatesOptionsAndHidesTheApiKey() {
        assertThatThrownBy(() -> ChatCompletionsResponseSource.Options.builder().baseUrl(baseUrl).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model");
        assertThatThrownBy(() -> options().baseUrl("localhost:8080").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> options().maxAttempts(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options().temperature(Double.NaN).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options().requestTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);

        ChatCompletionsResponseSource.Options defaults = ChatCompletionsResponseSource.Options.builder()
                .baseUrl(baseUrl).model("m").apiKey("sk-secret").build();
        assertThat(defaults.temperature()).isEqualTo(0.7);
        assertThat(defaults.maxTokens()).isEqualTo(96);
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.maxAttempts()).isEqualTo(3);
        assertThat(defaults.retryBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.seed()).isNull();
        assertThat(defaults.toString()).doesNotContain("sk-secret");
    }
}
