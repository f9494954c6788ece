package dev.samvaad.tensor;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses between the Vector API kernels and plain loops once, at class initialisation. */
final class KernelSelection {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String FORCE_PROPERTY = "samvaad.kernels";

    private static final Logger LOG = LoggerFactory.getLogger(KernelSelection.class);
    private static final Optional<FloatKernels> VECTORIZED = loadVectorized();
    static final FloatKernels BEST = chooseBest();

    private KernelSelection() {}

    static Optional<FloatKernels> vectorized() {
        return VECTORIZED;
    }

    private static FloatKernels chooseBest() {
        if ("scalar".equalsIgnoreCase(System.getProperty(FORCE_PROPERTY))) {
            return ScalarKernels.INSTANCE;
        }
        return VECTORIZED.orElse(ScalarKernels.INSTANCE);
    }

    private static Optional<FloatKernels> loadVectorized() {
        // The incubator module is only resolved when the JVM was asked for it; without it the
        // VectorKernels class must never be touched, or class loading fails.
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            LOG.debug("{} not in the boot layer; using plain-loop kernels "
                    + "(start the JVM with --add-modules {} for SIMD)", VECTOR_MODULE, VECTOR_MODULE);
            return Optional.empty();
        }
        try {
            Class<?> type = Class.forName("dev.samvaad.tensor.VectorKernels");
            return Optional.of((FloatKernels) type.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("Vector API present but unusable ({}); using plain-loop kernels", e.toString());
            return Optional.empty();
        }
    }
}
