package dev.samvaad.metrics;

import dev.samvaad.tensor.FloatKernels;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a report's figures were measured on, as every evaluation report records it. */
public final class Machine {
    private Machine() {}

    /** {@return cores, JVM, OS and the tensor kernels in use, ready for Jackson} */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("tensorKernels", FloatKernels.best().name());
        return m;
    }
}
