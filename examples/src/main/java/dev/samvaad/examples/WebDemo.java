package dev.samvaad.examples;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.TurnReport;
import dev.samvaad.examples.web.VoiceServer;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    /** How the agent listens and answers: the same flags as agent's. */
    @CommandLine.Mixin
    AgentFlags agentFlags;

    /** --port, --host and the server's limits. */
    @CommandLine.Mixin
    ServerFlags serverFlags;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double seconds;

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
        if (seconds < 0) {
            throw new IllegalArgumentException("--seconds must be >= 0, got " + seconds);
        }
        // Checked before the (slower) model load.
        VoiceServer.Options options = serverFlags.options();
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
        if (!serverFlags.loopbackOnly()) {
            out.printf("listening on %s: browsers give the microphone only to https or localhost pages, so from "
                    + "another machine open it through a tunnel (ssh -L %d:localhost:%d THIS_HOST)%n", serverFlags.host,
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
}
