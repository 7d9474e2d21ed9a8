package cnnlab.training;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNLocalResponseNormalizationHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Makes DL4J's convolution, pooling, batch-norm and LRN layers fast on the CPU backend, without changing what
 * they compute ({@code OneDnnHelpersTest}, {@code CpuLayersTest}); {@code docs/PERFORMANCE.md} has the
 * measurements:
 * <ul>
 *   <li>convolution and LRN: DL4J's own oneDNN helpers ({@link MKLDNNConvHelper} as {@link ConvHelper},
 *       {@link MKLDNNLocalResponseNormalizationHelper}), which run libnd4j's {@code conv2d}/{@code conv2d_bp} and
 *       {@code lrn} ops on the oneDNN of the {@code linux-x86_64-onednn} build of {@code nd4j-native} (the
 *       {@code cpu} Maven profile); a convolution that reads the network input gets {@link InputConvHelper};</li>
 *   <li>pooling: the layer itself is replaced by {@link CpuPooling} (M2.1's pooling layer runs its forward pass
 *       without its helper, on oneDNN's slow NCHW reference kernel);</li>
 *   <li>batch norm: {@link CpuBatchNorm} as the layer's helper;</li>
 *   <li>ReLU activation layers: replaced by {@link CpuRelu} (one native op forward, one Java pass backward).</li>
 * </ul>
 *
 * <p><b>Why reflection.</b> In DL4J 1.0.0-M2.1 the oneDNN helpers can never switch on by themselves: each
 * layer's {@code initializeHelper()} only keeps a helper whose {@code checkSupported()} is true, and that
 * calls {@code BaseMKLDNNHelper.mklDnnEnabled()}, which looks up the class
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} and its method {@code isUseMKLDNN}; in M2.1 the class is
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method {@code isUseONEDNN},
 * so the lookup fails and the helper is dropped. The layers' {@code helper} field is not public and has
 * no setter, so this class sets it by reflection after {@code init()}, and puts {@link CpuPooling} into the
 * network's layer array (and name index or graph vertex). Once set, the layers use the helper directly and
 * fall back to their own code if it returns nothing (input it does not cover).
 *
 * <p>Only on the CPU backend, only when the loaded libnd4j was built with oneDNN ({@code HAVE_ONEDNN} in
 * its build info), only for FLOAT networks, and never for a layer that already has a helper. Opt out with the
 * environment variable {@code CNNLAB_ONEDNN=0} (or the system property {@code cnnlab.onednn=false}), which
 * also stops libnd4j's own ops from using oneDNN and leaves every layer DL4J's, so that a before/after
 * comparison is one flag.
 */
public final class OneDnnHelpers {
    /** Environment variable: {@code 0}/{@code false}/{@code off} turns oneDNN off. */
    public static final String ENV = "CNNLAB_ONEDNN";
    /** System property with the same meaning (wins over the environment variable). */
    public static final String PROPERTY = "cnnlab.onednn";

    private static Boolean available;

    private OneDnnHelpers() {
    }

    /** Whether the user left oneDNN on (the default). */
    public static boolean wanted() {
        String v = System.getProperty(PROPERTY);
        if (v == null) {
            v = System.getenv(ENV);
        }
        if (v == null || v.isBlank()) {
            return true;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "0", "false", "off", "no" -> false;
            case "1", "true", "on", "yes" -> true;
            default -> throw new cnnlab.UserError(ENV + " must be 0 or 1, got '" + v + "'");
        };
    }

    /** Whether the backend is the CPU one and its native library was built with oneDNN. */
    public static synchronized boolean available() {
        if (available == null) {
            available = Backend.isCpu() && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()
                    .contains("HAVE_ONEDNN");
        }
        return available;
    }

    /** Whether {@link #attach} will attach helpers: wanted, available. */
    public static boolean active() {
        return wanted() && available();
    }

    /**
     * Attaches the oneDNN helpers to the network's conv/pool/BN/LRN layers if {@link #active()}; returns how
     * many layers got one (0 when inactive or the network is not FLOAT). When oneDNN is available, also
     * switches libnd4j's own use of oneDNN on or off to match {@link #wanted()}.
     */
    public static int attach(Net net) {
        Backend.fitThreadsTo(net.model());
        if (!available()) {
            return 0;
        }
        boolean on = wanted();
        nativeEnvironment("setUseONEDNN", on);
        return on ? attach(net.model()) : 0;
    }

    /** Whether libnd4j's own ops may use oneDNN (its {@code Environment.isUseONEDNN()}); CPU backend only. */
    static boolean nativeOneDnnOn() {
        return (Boolean) nativeEnvironment("isUseONEDNN", null);
    }

    /**
     * Calls a method of the CPU backend's native {@code Environment} by name: the class is absent from the
     * {@code -Pcuda} build, so it is not referenced at compile time.
     */
    private static Object nativeEnvironment(String method, Boolean arg) {
        try {
            Class<?> c = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
            Object env = c.getMethod("getInstance").invoke(null);
            return arg == null ? c.getMethod(method).invoke(env) : c.getMethod(method, boolean.class).invoke(env, arg);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call Nd4jCpu.Environment." + method + ": " + e, e);
        }
    }

    /** Attaches the helpers to every plain conv/pool/BN/LRN layer that has none; the backend must have oneDNN. */
    static int attach(Model model) {
        if (!available()) {
            throw new IllegalStateException("the loaded nd4j-native has no oneDNN (need the linux-x86_64-onednn jar)");
        }
        Layer[] layers;
        DataType type;
        Set<Layer> inputFed = Collections.newSetFromMap(new IdentityHashMap<>());
        if (model instanceof MultiLayerNetwork m) {
            layers = m.getLayers();
            type = m.getLayerWiseConfigurations().getDataType();
            if (layers.length > 0) {
                inputFed.add(layers[0]);
            }
        } else if (model instanceof ComputationGraph g) {
            layers = g.getLayers();
            type = g.getConfiguration().getDataType();
            for (GraphVertex v : g.getVertices()) {
                if (v.hasLayer() && v.getInputVertices() != null && v.getInputVertices().length > 0
                        && Arrays.stream(v.getInputVertices())
                                .allMatch(i -> g.getVertices()[i.getVertexIndex()].isInputVertex())) {
                    inputFed.add(v.getLayer());
                }
            }
        } else {
            throw new IllegalArgumentException("not a DL4J network: " + model.getClass().getName());
        }
        if (type != DataType.FLOAT) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            Object helper = null;
            Class<?> owner = null;
            if (l instanceof ConvolutionLayer && l.getClass() == ConvolutionLayer.class) {
                // Subclasses (depthwise, separable, deconvolution, 1D) have other ops; only plain conv2d.
                // The input needs no gradient: a layer reading it computes only dW and dB.
                helper = inputFed.contains(l) ? new InputConvHelper(type, l) : new ConvHelper(type, l);
                owner = ConvolutionLayer.class;
            } else if (l.getClass() == SubsamplingLayer.class) {
                // M2.1's pooling layer runs its forward pass without its helper: replace the layer itself.
                replace(model, i, l, new CpuPooling(l.conf(), type));
                n++;
            } else if (l.getClass() == ActivationLayer.class && CpuRelu.covers(
                    ((org.deeplearning4j.nn.conf.layers.ActivationLayer) l.conf().getLayer()).getActivationFn())) {
                replace(model, i, l, new CpuRelu(l.conf(), type));
                n++;
            } else if (l instanceof BatchNormalization) {
                helper = new CpuBatchNorm();
                owner = BatchNormalization.class;
            } else if (l instanceof LocalResponseNormalization) {
                helper = new MKLDNNLocalResponseNormalizationHelper(type);
                owner = LocalResponseNormalization.class;
            }
            if (helper != null && setHelper(owner, l, helper)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Puts {@code fresh} in the place of layer {@code i} ({@code old}): in the network's layer array, and in its
     * name index (a chain) or its vertex (a graph). {@code fresh} must own {@code old}'s parameters, if any (a
     * wrapper of it, or a layer without parameters).
     */
    static void replace(Model model, int i, Layer old, Layer fresh) {
        fresh.setIndex(old.getIndex());
        fresh.setListeners(old.getListeners());
        try {
            if (model instanceof MultiLayerNetwork m) {
                m.getLayers()[i] = fresh;
                Field f = MultiLayerNetwork.class.getDeclaredField("layerMap");
                f.setAccessible(true);
                @SuppressWarnings("unchecked")
                java.util.Map<String, Layer> byName = (java.util.Map<String, Layer>) f.get(m);
                byName.replaceAll((name, layer) -> layer == old ? fresh : layer);
            } else {
                ComputationGraph g = (ComputationGraph) model;
                g.getLayers()[i] = fresh;
                Field f = org.deeplearning4j.nn.graph.vertex.impl.LayerVertex.class.getDeclaredField("layer");
                f.setAccessible(true);
                for (GraphVertex v : g.getVertices()) {
                    if (v.hasLayer() && v.getLayer() == old) {
                        f.set(v, fresh);
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot replace layer " + old.getClass().getSimpleName()
                    + " (DL4J version changed?): " + e, e);
        }
    }

    private static boolean setHelper(Class<?> owner, Layer layer, Object helper) {
        try {
            Field f = owner.getDeclaredField("helper");
            f.setAccessible(true);
            if (f.get(layer) != null) {
                return false;
            }
            f.set(layer, helper);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot attach " + helper.getClass().getSimpleName() + " to layer "
                    + layer.getClass().getSimpleName() + " (DL4J version changed?): " + e, e);
        }
    }
}
