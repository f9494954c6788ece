package com.example.runtime;

import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.Reply;
import dev.samvaad.audio.WavWriter;
import java.nio.file.Path;

/**
 * The answer snippet of README's "Use it in your project", compiled and run by
 * {@code RuntimeConsumerTest} against the installed {@code s2s-runtime} alone. README quotes the
 * lines between the {@code tag::} and {@code end::} markers verbatim (examples'
 * {@code ReadmeSnippetsTest} checks it). Paths are relative: the test runs in a folder holding
 * {@code codec.smvd}, {@code model/} and {@code question.wav}.
 */
public final class Snippets {
    private Snippets() {}

    /** Answers a question WAV with a trained model and writes the spoken answer. */
    public static void answer() {
        // tag::answer[]
        try (ConversationAgent agent = ConversationAgent.load(Path.of("codec.smvd"), Path.of("model"))) {
            Reply reply = agent.respond(Path.of("question.wav")).get(0);
            WavWriter.writePcm16(Path.of("answer.wav"), reply.audio(), agent.sampleRate());
        }
        // end::answer[]
    }
}
