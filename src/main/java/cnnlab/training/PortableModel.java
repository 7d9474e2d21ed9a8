package cnnlab.training;

import cnnlab.models.BookInit;
import cnnlab.models.BookMomentum;
import cnnlab.models.BookRelu;
import cnnlab.models.classic.ScaledLoss;
import cnnlab.models.modern.DiracInit;
import cnnlab.models.modern.ScaledSoftmax;
import cnnlab.models.modern.SmoothedCrossEntropy;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The network as a plain DL4J program can load it: cnnlab's training-only classes in the configuration are
 * replaced by stock DL4J ones that give the same outputs.
 * <ul>
 *   <li>{@link BookRelu} (a faster backward pass) → {@link ActivationReLU}: the same forward pass;</li>
 *   <li>{@link BookInit} → {@link WeightInitXavierUniform} (XAVIER) / {@link WeightInitRelu} (MSRA), the
 *       nearest stock initialisations: used only if the loaded network is initialised afresh;</li>
 *   <li>{@link BookMomentum} → {@link Nesterovs} with the same learning rate and momentum, DL4J's own momentum
 *       for anyone who trains on (no updater state is saved for use; checkpoints keep ours, with state);</li>
 *   <li>{@link ScaledLoss} (GoogLeNet's auxiliary heads) → the loss it scales: the weight matters for training
 *       only.</li>
 *   <li>the modern recipes' classes: {@link SmoothedCrossEntropy} → {@link LossMCXENT} (training only),
 *       {@link DiracInit} → {@link WeightInitXavierUniform} (initialisation only), a learning-rate schedule of
 *       ours → the stock updater at the schedule's first rate, and {@link ScaledSoftmax} (softmax of
 *       {@code scale·z}) → {@link ActivationSoftmax} with that layer's weights and bias multiplied by
 *       {@code scale}: the same outputs.</li>
 * </ul>
 * cnnlab's chapter-17 layers ({@code --layers custom}) and the exact GELU of {@code cifar10-fast}
 * ({@link cnnlab.models.modern.Gelu}) have no stock equivalent and stay: such a model needs cnnlab's classes to
 * load ({@link #needsCnnlab}).
 */
final class PortableModel {
    /** What a configuration that still names cnnlab's classes tells a plain DL4J loader (as a JSON field). */
    static final String NOTE_FIELD = "cnnlab_note";
    static final String NOTE = "This network uses cnnlab classes that stock DL4J does not have: cnnlab's chapter-17 "
            + "layers (--layers custom, cnnlab.layers.CustomConvolution / CustomPooling) or cifar10-fast's exact GELU "
            + "(cnnlab.models.modern.Gelu; DL4J's own GELU computes another function). Load it with cnnlab.jar on the "
            + "class path; the chapter-17 nets trained with --layers dl4j load with DL4J alone.";

    private PortableModel() {
    }

    /** A network with stock classes sharing {@code model}'s parameters, or {@code model} when it has none of ours. */
    static Model of(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            MultiLayerConfiguration conf = mln.getLayerWiseConfigurations().clone();
            boolean changed = false;
            double[] fold = new double[conf.getConfs().size()];
            for (int i = 0; i < fold.length; i++) {
                Layer l = conf.getConf(i).getLayer();
                fold[i] = l instanceof BaseLayer b && b.getActivationFn() instanceof ScaledSoftmax ss ? ss.scale() : 1;
                if (fold[i] != 1) {
                    ((BaseLayer) l).setActivationFn(new ActivationSoftmax());
                }
                changed |= stock(l) || fold[i] != 1;
            }
            if (!changed) {
                return model;
            }
            MultiLayerNetwork out = new MultiLayerNetwork(conf);
            boolean folds = java.util.Arrays.stream(fold).anyMatch(f -> f != 1);
            out.init(folds ? mln.params().dup() : mln.params(), false);
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] != 1) {
                    for (org.nd4j.linalg.api.ndarray.INDArray p : out.getLayer(i).paramTable().values()) {
                        p.muli(fold[i]);
                    }
                }
            }
            return out;
        }
        ComputationGraph graph = (ComputationGraph) model;
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        boolean changed = false;
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                changed |= stock(lv.getLayerConf().getLayer());
            }
        }
        if (!changed) {
            return model;
        }
        ComputationGraph out = new ComputationGraph(conf);
        out.init(graph.params(), false);
        return out;
    }

    /** Whether a configuration's JSON still names one of cnnlab's classes (the chapter-17 layers, {@code Gelu}). */
    static boolean needsCnnlab(String configurationJson) {
        return configurationJson.contains("\"cnnlab.");
    }

    /** The JSON with {@link #NOTE} as its first field, where DL4J's parse error quotes it; DL4J ignores it. */
    static String withNote(String configurationJson) {
        int brace = configurationJson.indexOf('{');
        return configurationJson.substring(0, brace + 1) + "\"" + NOTE_FIELD + "\" : \"" + NOTE + "\", "
                + configurationJson.substring(brace + 1);
    }

    /** Replaces cnnlab's classes in one layer's configuration; true when something changed. */
    private static boolean stock(Layer layer) {
        boolean changed = false;
        if (layer instanceof BaseLayer b) {
            IActivation a = stock(b.getActivationFn());
            if (a != b.getActivationFn()) {
                b.setActivationFn(a);
                changed = true;
            }
            if (b.getWeightInitFn() instanceof BookInit init) {
                b.setWeightInitFn(init.getMethod() == BookInit.Method.XAVIER ? new WeightInitXavierUniform()
                        : new WeightInitRelu());
                changed = true;
            }
            if (b.getWeightInitFn() instanceof DiracInit) {
                b.setWeightInitFn(new WeightInitXavierUniform());
                changed = true;
            }
            IUpdater u = stock(b.getIUpdater());
            if (u != b.getIUpdater()) {
                b.setIUpdater(u);
                changed = true;
            }
            u = stock(b.getBiasUpdater());
            if (u != b.getBiasUpdater()) {
                b.setBiasUpdater(u);
                changed = true;
            }
        }
        if (layer instanceof ActivationLayer al) {
            IActivation a = stock(al.getActivationFn());
            if (a != al.getActivationFn()) {
                al.setActivationFn(a);
                changed = true;
            }
        }
        if (layer instanceof BaseOutputLayer o && o.getLossFn() instanceof ScaledLoss s) {
            o.setLossFn(stock(s));
            changed = true;
        }
        if (layer instanceof BaseOutputLayer o && o.getLossFn() instanceof SmoothedCrossEntropy) {
            o.setLossFn(new LossMCXENT());
            changed = true;
        }
        if (layer instanceof LossLayer o && o.getLossFn() instanceof ScaledLoss s) {
            o.setLossFn(stock(s));
            changed = true;
        }
        return changed;
    }

    private static IActivation stock(IActivation a) {
        return a instanceof BookRelu ? new ActivationReLU() : a;
    }

    private static IUpdater stock(IUpdater u) {
        if (u instanceof BookMomentum m) {
            return new Nesterovs(m.getLearningRate(), m.getMomentum());
        }
        if (u instanceof Nesterovs n && ours(n.getLearningRateSchedule())) {
            return new Nesterovs(n.getLearningRateSchedule().valueAt(0, 0), n.getMomentum());
        }
        return u;
    }

    private static boolean ours(ISchedule s) {
        return s != null && s.getClass().getName().startsWith("cnnlab.");
    }

    private static ILossFunction stock(ScaledLoss s) {
        return s.loss() instanceof ScaledLoss inner ? stock(inner) : s.loss();
    }
}
