package dev.samvaad.examples.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.TurnReport;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web voice demo's server: one page ({@code /}) and one WebSocket ({@code /ws}) over which a
 * browser talks to a {@link ConversationAgent}; each WebSocket is one
 * {@link dev.samvaad.agent.ConversationSession}. The protocol is described in
 * {@link VoiceSocket}.
 *
 * <pre>{@code
 * try (ConversationAgent agent = ConversationAgent.load(codec, model);
 *      VoiceServer server = VoiceServer.start(agent, VoiceServer.Options.defaults().withPort(0), null)) {
 *     System.out.println("open " + server.uri());
 *     ...
 * }
 * }</pre>
 *
 * <p>Guards: binds to {@code 127.0.0.1} unless told otherwise; WebSocket upgrades from pages of
 * other sites are refused ({@link OriginCheck}); messages larger than {@code maxMessageBytes} close
 * the connection (1009); at most {@code maxSessions} conversations at once, further ones are told
 * the server is busy and closed (1013); a connection that closes or breaks closes its
 * conversation, which stops a reply in progress and frees its place.
 *
 * <p>The server does not own the agent: close the server first, then the agent.
 */
public final class VoiceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceServer.class);

    /** Where the page lives on the classpath. */
    static final String STATIC = "dev/samvaad/examples/web/static/";
    /** The WebSocket's path. */
    public static final String SOCKET_PATH = "/ws";

    /**
     * How the server listens.
     *
     * @param host            interface to bind ({@code 127.0.0.1}: this machine only; {@code 0.0.0.0}: every one)
     * @param port            TCP port; {@code 0} picks a free one (see {@link #port()})
     * @param maxSessions     conversations at once
     * @param maxMessageBytes largest WebSocket message taken from a browser (audio or text)
     * @param idleTimeout     a connection that sends nothing this long is closed
     * @param origins         which pages may open the WebSocket
     */
    public record Options(String host, int port, int maxSessions, int maxMessageBytes, Duration idleTimeout,
                          OriginCheck origins) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(origins, "origins");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535 (0: any free port), got " + port);
            }
            if (maxSessions < 1) {
                throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
            }
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + maxMessageBytes);
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
            }
        }

        /** 127.0.0.1:8080, 4 conversations, 256 KiB messages (over a second of 48 kHz audio), 60 s idle. */
        public static Options defaults() {
            return new Options("127.0.0.1", 8080, 4, 256 * 1024, Duration.ofSeconds(60),
                    OriginCheck.sameOriginOrLocalhost());
        }

        public Options withHost(String h) {
            return new Options(h, port, maxSessions, maxMessageBytes, idleTimeout, origins);
        }

        public Options withPort(int p) {
            return new Options(host, p, maxSessions, maxMessageBytes, idleTimeout, origins);
        }

        public Options withMaxSessions(int n) {
            return new Options(host, port, n, maxMessageBytes, idleTimeout, origins);
        }

        public Options withMaxMessageBytes(int n) {
            return new Options(host, port, maxSessions, n, idleTimeout, origins);
        }

        public Options withIdleTimeout(Duration d) {
            return new Options(host, port, maxSessions, maxMessageBytes, d, origins);
        }

        public Options withOrigins(OriginCheck o) {
            return new Options(host, port, maxSessions, maxMessageBytes, idleTimeout, o);
        }
    }

    /**
     * What happens on the server, for a log or a test. Called on the server's threads: return
     * quickly ({@link #replyAudio} runs on the reply's thread, before the chunk is sent).
     */
    public interface Monitor {
        /** A browser connected; {@code conversation} numbers connections from 1. */
        default void opened(int conversation, String remote) {}

        /** A reply ended, however it ended. */
        default void turn(int conversation, TurnReport report) {}

        /** A chunk of reply audio is about to be sent. */
        default void replyAudio(int conversation, int turn, int samples) {}

        /** The connection closed and its conversation with it ({@code code} as in RFC 6455; 1006: broken). */
        default void closed(int conversation, int code, String reason) {}
    }

    private final ConversationAgent agent;
    private final Options options;
    private final Monitor monitor;
    private final Server server;
    private final ServerConnector connector;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    private VoiceServer(ConversationAgent agent, Options options, Monitor monitor) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.options = Objects.requireNonNull(options, "options");
        this.monitor = monitor == null ? new Monitor() {} : monitor;

        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, 4 * options.maxSessions() + 8));
        threads.setName("samvaad-web");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler sockets = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxBinaryMessageSize(options.maxMessageBytes());
            container.setMaxTextMessageSize(options.maxMessageBytes());
            container.setMaxFrameSize(options.maxMessageBytes());
            container.setIdleTimeout(options.idleTimeout());
            container.addMapping(SOCKET_PATH, (request, response, callback) -> {
                String origin = request.getHeaders().get("Origin");
                String host = request.getHeaders().get("Host");
                String refused = options.origins().reason(origin, host);
                if (refused != null) {
                    LOG.warn("refused a WebSocket from {}: {}", Request.getRemoteAddr(request), refused);
                    Response.writeError(request, response, callback, 403, "origin not allowed: " + refused);
                    return null;
                }
                return new VoiceSocket(this, connections.incrementAndGet());
            });
        });
        ResourceHandler page = new ResourceHandler();
        Resource root = ResourceFactory.of(server).newClassLoaderResource(STATIC);
        if (root == null) {
            throw new IllegalStateException("the web page is missing from the classpath (" + STATIC + ")");
        }
        page.setBaseResource(root);
        page.setDirAllowed(false);
        page.setWelcomeFiles("index.html");
        page.setCacheControl("no-cache");
        sockets.setHandler(new NoSniff(page));
        context.setHandler(sockets);
        server.setHandler(context);
    }

    /**
     * Starts a server for {@code agent}.
     *
     * @param monitor told what happens; {@code null} for nothing
     * @throws IllegalArgumentException if the port is taken or the host cannot be bound
     */
    public static VoiceServer start(ConversationAgent agent, Options options, Monitor monitor) {
        VoiceServer s = new VoiceServer(agent, options, monitor);
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IllegalArgumentException("cannot listen on " + options.host() + ":" + options.port() + ": "
                        + e.getMessage() + (options.port() != 0 ? " (try another --port, or --port 0 for any free one)" : ""), e);
            }
            if (e instanceof java.io.IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("the web server did not start: " + e, e);
        }
        LOG.info("web demo on {} (codec {} at {} Hz; at most {} conversation{} at once)", s.uri(),
                agent.codec().fingerprint(), agent.sampleRate(), options.maxSessions(),
                options.maxSessions() == 1 ? "" : "s");
        return s;
    }

    /** The port listened on (the one picked when {@code port} was 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The page's address: {@code http://host:port/}, with {@code localhost} for a wildcard host. */
    public URI uri() {
        String host = options.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Conversations open now. */
    public int activeSessions() {
        return active.get();
    }

    public Options options() {
        return options;
    }

    ConversationAgent agent() {
        return agent;
    }

    Monitor monitor() {
        return monitor;
    }

    ObjectMapper json() {
        return json;
    }

    /** Takes a place for a conversation; false when all {@code maxSessions} are in use. */
    boolean acquire() {
        while (true) {
            int n = active.get();
            if (n >= options.maxSessions()) {
                return false;
            }
            if (active.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        active.decrementAndGet();
    }

    /** Stops listening and closes every connection (and so every conversation). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the web server: {}", e.toString());
        }
    }

    /** Serves the page with {@code X-Content-Type-Options: nosniff}. */
    private static final class NoSniff extends Handler.Wrapper {
        NoSniff(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            return super.handle(request, response, callback);
        }
    }
}
