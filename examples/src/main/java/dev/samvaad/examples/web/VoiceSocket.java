package dev.samvaad.examples.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.samvaad.agent.ConversationListener;
import dev.samvaad.agent.ConversationSession;
import dev.samvaad.agent.TurnReport;
import dev.samvaad.audio.Pcm16;
import dev.samvaad.io.Words;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser connection: one {@link ConversationSession}. Made by {@link VoiceServer} (public only
 * because Jetty calls it).
 *
 * <h2>Protocol</h2>
 * Browser to server:
 * <ul>
 *   <li>first, a text message {@code {"type":"hello","sampleRate":48000,"format":"s16le"}}: the rate
 *       of the microphone audio that follows (8 to 192 kHz; the session resamples it to the
 *       codec's) and its encoding, {@code s16le} (16-bit signed little-endian, the default) or
 *       {@code f32le} (32-bit float little-endian);</li>
 *   <li>then binary messages of mono PCM in that format, of any length (the page sends 20 ms).</li>
 * </ul>
 * Server to browser:
 * <ul>
 *   <li>binary messages: reply audio, mono 32-bit float little-endian at the rate {@code ready}
 *       gives (the codec's), sent as soon as the codec decoder makes it; those between
 *       {@code reply_start} and {@code turn_end} of a turn are that turn's reply;</li>
 *   <li>text messages, JSON objects with a {@code type}:
 *     <ul>
 *       <li>{@code ready}: {@code sampleRate} (of the reply audio), {@code codec}, {@code maxMessageBytes},
 *           {@code conversation}, {@code bargeIn} (whether the user may interrupt replies),
 *           {@code endOfTurn} ({@code predictor} or {@code hangover}: how the server finds the end of a turn);</li>
 *       <li>{@code speech_start} {@code turn}: the user started speaking (with {@code bargeIn} a
 *           player should stop the reply audio it still holds: the reply is usually made faster
 *           than it plays, so it may be over on the server while the page still plays it);</li>
 *       <li>{@code speech_end} {@code turn}, {@code questionFrames}: the user's turn ended (end of
 *           speech: the server's latencies are measured from here; the user's wait adds the silence
 *           before it, {@code turn_end.hangoverMs});</li>
 *       <li>{@code reply_start} {@code turn}: reply audio follows;</li>
 *       <li>{@code barge_in} {@code turn}: the user spoke over the reply of {@code turn}, which stops;</li>
 *       <li>{@code turn_end}: {@code turn}, {@code outcome} ({@code completed}, {@code length_capped},
 *           {@code barged_in}, {@code cancelled}, {@code failed}), {@code latencyMs} (end of speech to
 *           first reply audio, measured on the server; {@code null} without audio), {@code hangoverMs}
 *           (the silence the server waited for before it ended the turn), {@code perceivedMs} (the
 *           user's wait: {@code hangoverMs + latencyMs}, from their last voiced frame to the first
 *           reply audio, as the server saw it; {@code null} without audio), {@code endOfTurn} (what
 *           ended the turn: {@code predicted}, {@code hangover}, {@code input_end},
 *           {@code longest_question}), {@code endProbability} (the end-of-turn predictor's
 *           probability, or {@code null}), {@code replySeconds}, {@code questionSeconds},
 *           {@code questionStartSeconds} and {@code questionEndSeconds} (where the question lies in
 *           the audio sent, seconds from the first sample), {@code lastVoicedSeconds} (where the
 *           user's last voiced frame ended) and {@code endOfTurnSeconds} (where the turn was ended),
 *           {@code totalMs}, {@code rtf};</li>
 *       <li>{@code error} {@code message}: something went wrong; the connection may then close with a
 *           reason (1008 for a broken protocol, 1007 for audio that is not whole samples, 1009 for an
 *           oversized message, 1013 when the server is busy).</li>
 *     </ul>
 *   </li>
 * </ul>
 */
public final class VoiceSocket implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceSocket.class);
    /** A send that has not gone out in this time means a dead client; the connection is dropped. */
    private static final long SEND_TIMEOUT_SECONDS = 30;
    private static final int MIN_RATE = 8_000;
    private static final int MAX_RATE = 192_000;

    private final VoiceServer server;
    private final int id;
    private final Object sendLock = new Object();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Session socket;
    private volatile boolean holdsPlace;
    private volatile ConversationSession conversation;
    private boolean float32;

    VoiceSocket(VoiceServer server, int id) {
        this.server = server;
        this.id = id;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        socket = session;
        String remote = String.valueOf(session.getRemoteSocketAddress());
        if (!server.acquire()) {
            int max = server.options().maxSessions();
            LOG.warn("conversation {} from {} refused: {} in use (--max-sessions)", id, remote,
                    max == 1 ? "its one place is" : "all " + max + " places are");
            String why = "the server is busy: it holds at most " + Words.count(max, "conversation")
                    + " at once; try again later";
            sendEvent(event("error").put("message", why));
            session.close(StatusCode.TRY_AGAIN_LATER, "server busy", Callback.NOOP);
            return;
        }
        holdsPlace = true;
        LOG.info("conversation {} opened from {} ({}/{} in use)", id, remote, server.activeSessions(),
                server.options().maxSessions());
        server.monitor().opened(id, remote);
    }

    @Override
    public void onWebSocketText(String message) {
        JsonNode msg;
        try {
            msg = server.json().readTree(message);
        } catch (JsonProcessingException e) {
            refuse(StatusCode.POLICY_VIOLATION, "a text message must be a JSON object");
            return;
        }
        String type = msg.path("type").asText("");
        if (!type.equals("hello")) {
            sendEvent(event("error").put("message", "unknown message type '" + type + "' (only 'hello' is known)"));
            return;
        }
        if (conversation != null) {
            refuse(StatusCode.POLICY_VIOLATION, "hello was already sent");
            return;
        }
        int rate = msg.path("sampleRate").asInt(-1);
        if (rate < MIN_RATE || rate > MAX_RATE) {
            refuse(StatusCode.POLICY_VIOLATION, "hello.sampleRate must be " + MIN_RATE + ".." + MAX_RATE + ", got "
                    + msg.path("sampleRate"));
            return;
        }
        String format = msg.path("format").asText("s16le").toLowerCase(Locale.ROOT);
        if (!format.equals("s16le") && !format.equals("f32le")) {
            refuse(StatusCode.POLICY_VIOLATION, "hello.format must be s16le or f32le, got " + format);
            return;
        }
        if (!holdsPlace) {
            return;
        }
        float32 = format.equals("f32le");
        int outRate = server.agent().sampleRate();
        ConversationSession session;
        try {
            session = server.agent().newSession(rate, outRate, new Listener());
        } catch (IllegalStateException | IllegalArgumentException e) {
            refuse(StatusCode.SERVER_ERROR, "cannot start a conversation: " + e.getMessage());
            return;
        }
        conversation = session;
        if (ended.get()) {
            // The connection closed while the session was being made.
            session.close();
            return;
        }
        LOG.info("conversation {}: microphone at {} Hz ({}), replies at {} Hz", id, rate, format, outRate);
        sendEvent(event("ready").put("sampleRate", outRate).put("codec", server.agent().codec().fingerprint())
                .put("maxMessageBytes", server.options().maxMessageBytes()).put("conversation", id)
                .put("bargeIn", server.agent().options().bargeIn())
                .put("endOfTurn", server.agent().predictor() != null ? "predictor" : "hangover"));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            ConversationSession session = conversation;
            if (session == null) {
                refuse(StatusCode.POLICY_VIOLATION, "send the hello message before audio");
                return;
            }
            int width = float32 ? 4 : 2;
            if (payload.remaining() % width != 0) {
                refuse(StatusCode.BAD_PAYLOAD, "audio messages must hold whole " + width + "-byte samples, got "
                        + payload.remaining() + " bytes");
                return;
            }
            float[] pcm = decode(payload.order(ByteOrder.LITTLE_ENDIAN), float32);
            try {
                session.push(pcm);
            } catch (IllegalStateException closed) {
                // The connection is closing; the audio has nowhere to go.
            }
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("conversation {}: {}", id, cause.toString());
        end(StatusCode.ABNORMAL, cause.getMessage() == null ? "connection lost (" + cause.getClass().getSimpleName()
                + ")" : cause.getMessage());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            end(statusCode, reason);
        } finally {
            callback.succeed();
        }
    }

    /** Closes the conversation (stopping a reply in progress) and frees its place, once. */
    private void end(int code, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        ConversationSession session = conversation;
        boolean replying = session != null && session.replying();
        if (session != null) {
            session.close();
        }
        if (holdsPlace) {
            server.release();
            LOG.info("conversation {} closed ({}{}){}; {}/{} in use", id, code, reason == null || reason.isEmpty() ? ""
                    : " " + reason, replying ? ", its reply stopped" : "", server.activeSessions(),
                    server.options().maxSessions());
            server.monitor().closed(id, code, reason);
        }
    }

    static float[] decode(ByteBuffer le, boolean float32) {
        float[] pcm = new float[le.remaining() / (float32 ? 4 : 2)];
        if (float32) {
            le.asFloatBuffer().get(pcm);
            for (int i = 0; i < pcm.length; i++) {
                if (!Float.isFinite(pcm[i])) {
                    pcm[i] = 0;
                }
            }
            return pcm;
        }
        return Pcm16.fromBytes(le);
    }

    static ByteBuffer encode(float[] pcm) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(pcm);
        return bytes;
    }

    /** Tells the browser what is wrong and closes the connection. */
    private void refuse(int code, String message) {
        LOG.warn("conversation {}: {}; closing it", id, message);
        sendEvent(event("error").put("message", message));
        Session s = socket;
        if (s != null) {
            // A close reason is limited to 123 bytes.
            String reason = message.length() > 100 ? message.substring(0, 100) : message;
            s.close(code, reason, Callback.NOOP);
        }
    }

    private ObjectNode event(String type) {
        return server.json().createObjectNode().put("type", type);
    }

    private void sendEvent(ObjectNode event) {
        String text;
        try {
            text = server.json().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        send((s, done) -> s.sendText(text, done));
    }

    private void sendAudio(float[] pcm) {
        ByteBuffer bytes = encode(pcm);
        send((s, done) -> s.sendBinary(bytes, done));
    }

    /**
     * Sends one message and waits until it has gone out, so events and audio of all threads reach
     * the browser in the order they happened and a slow browser slows the reply instead of
     * filling the server's memory. Nothing is sent once the connection has closed.
     */
    private void send(BiConsumer<Session, Callback> sender) {
        Session s = socket;
        if (s == null) {
            return;
        }
        synchronized (sendLock) {
            if (!s.isOpen()) {
                return;
            }
            Callback.Completable done = new Callback.Completable();
            try {
                sender.accept(s, done);
                done.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debug("conversation {}: send failed: {}", id, e.getCause().toString());
            } catch (TimeoutException e) {
                LOG.warn("conversation {}: the browser took no data for {} s; dropping the connection", id,
                        SEND_TIMEOUT_SECONDS);
                s.disconnect();
            }
        }
    }

    /** The conversation's events, turned into messages. */
    private final class Listener implements ConversationListener {
        /** The turn whose reply audio has started; touched by the reply thread only. */
        private int replying;

        @Override
        public void onSpeechStart(int turn) {
            sendEvent(event("speech_start").put("turn", turn));
        }

        @Override
        public void onSpeechEnd(int turn, int[][] questionCodes) {
            sendEvent(event("speech_end").put("turn", turn).put("questionFrames", questionCodes[0].length));
        }

        @Override
        public void onBargeIn(int turn) {
            sendEvent(event("barge_in").put("turn", turn));
        }

        @Override
        public void onAudio(int turn, float[] pcm) {
            server.monitor().replyAudio(id, turn, pcm.length);
            if (replying != turn) {
                replying = turn;
                sendEvent(event("reply_start").put("turn", turn));
            }
            sendAudio(pcm);
        }

        @Override
        public void onReply(TurnReport r) {
            ObjectNode e = event("turn_end").put("turn", r.turn())
                    .put("outcome", r.outcome().name().toLowerCase(Locale.ROOT))
                    .put("replySeconds", r.replySeconds()).put("replyFrames", r.replyFrames())
                    .put("questionSeconds", r.questionSeconds())
                    .put("questionStartSeconds", (double) r.questionStartSample() / r.codecRate())
                    .put("questionEndSeconds", (double) r.questionEndSample() / r.codecRate())
                    .put("hangoverMs", r.hangoverMs()).put("totalMs", r.totalMs())
                    .put("endOfTurn", r.endOfTurn().name().toLowerCase(Locale.ROOT))
                    .put("lastVoicedSeconds", r.lastVoicedSeconds())
                    .put("endOfTurnSeconds", (double) r.endOfTurnSample() / r.codecRate());
            putNumber(e, "latencyMs", r.firstAudioMs());
            putNumber(e, "perceivedMs", r.perceivedLatencyMs());
            putNumber(e, "endProbability", r.endProbability());
            putNumber(e, "rtf", r.rtf());
            sendEvent(e);
            LOG.debug("conversation {} turn {}: question {} s, reply {} s ({}), first audio {} ms", id, r.turn(),
                    String.format(Locale.ROOT, "%.2f", r.questionSeconds()),
                    String.format(Locale.ROOT, "%.2f", r.replySeconds()), e.get("outcome").asText(),
                    Double.isNaN(r.firstAudioMs()) ? "-" : String.format(Locale.ROOT, "%.1f", r.firstAudioMs()));
            server.monitor().turn(id, r);
        }

        @Override
        public void onError(int turn, RuntimeException error) {
            sendEvent(event("error").put("turn", turn).put("message", "the reply failed: " + error.getMessage()));
        }

        private void putNumber(ObjectNode e, String key, double v) {
            if (Double.isNaN(v)) {
                e.putNull(key);
            } else {
                e.put(key, v);
            }
        }
    }
}
