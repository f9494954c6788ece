package dev.samvaad.examples.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.Pcm16;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client (java.net.http) that speaks the demo's protocol, for the server's tests. */
final class SocketClient implements WebSocket.Listener {
    /** How long any wait of a test may take before the test fails (a guard, not a measurement). */
    static final long WAIT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    volatile String closeReason;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private volatile int audioMessages;
    WebSocket socket;

    private SocketClient() {}

    /** Connects to the server's WebSocket, sending {@code origin} if not null. */
    static SocketClient connect(VoiceServer server, String origin) throws Exception {
        SocketClient client = new SocketClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + VoiceServer.SOCKET_PATH);
        client.socket = builder.buildAsync(uri, client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    void hello(int rate) throws Exception {
        sendText("{\"type\":\"hello\",\"sampleRate\":" + rate + ",\"format\":\"s16le\"}");
    }

    void sendText(String message) throws Exception {
        socket.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends audio as 16-bit little-endian PCM in chunks of {@code chunk} samples. */
    void sendAudio(float[] pcm, int chunk) throws Exception {
        for (int at = 0; at < pcm.length; at += chunk) {
            float[] part = Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + chunk));
            socket.sendBinary(ByteBuffer.wrap(Pcm16.toBytes(part)), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The next event of {@code type}, skipping others; fails after {@link #WAIT_SECONDS}. */
    JsonNode await(String type) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = end - System.nanoTime();
            JsonNode e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError("no '" + type + "' event within " + WAIT_SECONDS + " s; seen: " + seen
                        + (closeCode.isDone() ? "; closed with " + closeCode.join() + " " + closeReason : ""));
            }
            if (e.path("type").asText().equals(type)) {
                return e;
            }
        }
    }

    int awaitClose() throws Exception {
        return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Reply audio received so far, samples (float32). */
    synchronized int audioSamples() {
        return audio.size() / 4;
    }

    int audioMessages() {
        return audioMessages;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            try {
                JsonNode e = JSON.readTree(text.toString());
                seen.add(e);
                events.add(e);
            } catch (Exception ex) {
                throw new IllegalStateException("not JSON: " + text, ex);
            }
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partial.writeBytes(bytes);
        if (last) {
            synchronized (this) {
                audio.writeBytes(partial.toByteArray());
            }
            partial.reset();
            audioMessages++;
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closeReason = error.toString();
        closeCode.complete(1006);
    }
}
