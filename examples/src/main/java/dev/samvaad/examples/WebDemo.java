package dev.samvaad.examples;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.TurnReport;
import dev.samvaad.examples.web.OriginCheck;
import dev.samvaad.examples.web.VoiceServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The conversation agent in a browser: an embedded web server with one page that streams the
 * microphone to the agent over a WebSocket, plays the replies as they come and shows each turn's
 * latency as the user perceives it (their last voiced sound -> first reply audio, the silence the
 * agent waited for included) with spectrograms of question and reply. The end of a turn is found
 * by the end-of-turn predictor when there is one ({@code train-turns}), else by a fixed hangover.
 */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "Web voice demo: serves a page that talks to the model through the browser's microphone "
                + "and speaker (WebSocket), with each turn's latency (your last voiced sound -> first reply audio) on a "
                + "timeline. Open the printed address.")
public final class WebDemo implements Callable<Integer> {

    /** --s2s and --codec (shared with agent). */
    @CommandLine.Mixin
    AgentModel model;

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

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double seconds;

    @CommandLine.Mixin
    AgentFlags agentFlags;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new WebDemo())).execute(args));
    }

    @Override
    public Integer call() throws Exception {
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
        if (seconds < 0) {
            throw new IllegalArgumentException("--seconds must be >= 0, got " + seconds);
        }
        // Checked before the (slower) model load.
        VoiceServer.Options options = VoiceServer.Options.defaults().withHost(host).withPort(port)
                .withMaxSessions(maxSessions).withMaxMessageBytes(maxMessageKb * 1024)
                .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds)).withOrigins(new OriginCheck(allowOrigins));
        AgentOptions agentOptions = agentFlags.options(spec);
        PrintWriter out = spec.commandLine().getOut();
        Path predictor = agentFlags.predictorFile(model.codec(), model.modelDir,
                line -> org.slf4j.LoggerFactory.getLogger(WebDemo.class).info(line));

        ConversationAgent agent = model.load(agentOptions, predictor);
        VoiceServer server;
        try {
            server = VoiceServer.start(agent, options, new Printer(out));
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        out.printf("Samvaad web demo: open %s in a browser (%s)%n", server.uri(),
                seconds > 0 ? "stops after " + seconds + " s" : "Ctrl-C stops");
        if (!loopbackOnly(host)) {
            out.printf("listening on %s: browsers give the microphone only to https or localhost pages, so from "
                    + "another machine open it through a tunnel (ssh -L %d:localhost:%d THIS_HOST)%n", host,
                    server.port(), server.port());
        }
        out.flush();
        // The server first: its connections close their conversations, then the agent's threads stop.
        serveUntilStopped(server, agent);
        return 0;
    }

    /** Until {@code --seconds} pass, Ctrl-C, or the thread is interrupted; then runs {@code close}. */
    private void serveUntilStopped(AutoCloseable... close) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C: let the server and the agent close before the JVM ends.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "samvaad-web-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            if (seconds > 0) {
                stop.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
        } catch (InterruptedException e) {
            // Stop serving; the flag is restored once everything is closed.
            interrupted = true;
        } finally {
            try {
                for (AutoCloseable c : close) {
                    c.close();
                }
            } finally {
                closed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the JVM is already on its way out.
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Prints every turn like the {@code agent} command does. */
    private record Printer(PrintWriter out) implements VoiceServer.Monitor {
        @Override
        public void turn(int conversation, TurnReport report) {
            synchronized (out) {
                out.println(RealtimeS2SAgent.turnLine("conversation " + conversation, report));
                out.flush();
            }
        }
    }

    /** Whether a --host value binds this machine's loopback only. */
    private static boolean loopbackOnly(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
