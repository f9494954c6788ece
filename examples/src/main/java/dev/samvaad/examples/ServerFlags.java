package dev.samvaad.examples;

import dev.samvaad.examples.web.OriginCheck;
import dev.samvaad.examples.web.VoiceServer;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Where and how the {@code web} command serves its page (a picocli mixin): the server's own flags. */
final class ServerFlags {

    @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}, this machine only). Browsers give "
                    + "the microphone only to https or localhost pages: from another machine use an SSH tunnel.")
    String host;

    @Option(names = {"--max_sessions", "--max-sessions"}, defaultValue = "4",
            description = "Conversations at once; more are told the server is busy (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = {"--max_message_kb", "--max-message-kb"}, defaultValue = "256",
            description = "Largest WebSocket message taken from a browser, KiB (default: ${DEFAULT-VALUE}).")
    int maxMessageKb;

    @Option(names = {"--idle_timeout_s", "--idle-timeout-s"}, defaultValue = "60",
            description = "Close a connection that sends nothing this long, s (default: ${DEFAULT-VALUE}).")
    int idleTimeoutSeconds;

    @Option(names = {"--allow_origin", "--allow-origin"}, split = ",",
            description = "Further web origins allowed to open the WebSocket (scheme://host:port); this server's "
                    + "own and localhost pages always are.")
    List<String> allowOrigins = List.of();

    /**
     * The server's options, every flag checked first, before the (slower) model load.
     *
     * @throws IllegalArgumentException naming the flag out of range
     */
    VoiceServer.Options options() {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 0..65535 (0: any free port), got " + port);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("--max-sessions must be at least 1, got " + maxSessions);
        }
        if (maxMessageKb < 1 || maxMessageKb > 64 * 1024) {
            throw new IllegalArgumentException("--max-message-kb must be 1..65536, got " + maxMessageKb);
        }
        if (idleTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--idle-timeout-s must be at least 1, got " + idleTimeoutSeconds);
        }
        return VoiceServer.Options.defaults().withHost(host).withPort(port).withMaxSessions(maxSessions)
                .withMaxMessageBytes(maxMessageKb * 1024).withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                .withOrigins(new OriginCheck(allowOrigins));
    }

    /** {@return whether --host binds this machine's loopback only} */
    boolean loopbackOnly() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
