package cnnlab.training.modern;

import cnnlab.models.modern.*;

import cnnlab.UserError;
import cnnlab.data.DataSource;
import cnnlab.data.InMemorySource;
import cnnlab.models.Experiment;
import cnnlab.models.NetConf;
import cnnlab.models.NetSpec;
import cnnlab.training.Net;
import cnnlab.training.Pipeline;
import cnnlab.training.Recipe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training recipes beyond the book: {@code cifar10-fast} ({@link CifarFast}, airbench94)
 * and {@code mnist-modern} / {@code fashion-modern} ({@link MnistModern}), plugged into the one
 * {@link cnnlab.training.Trainer} loop through {@link Recipe}'s hooks, with the ablation flags of
 * {@link Ablation}.
 */
public final class ModernRecipe implements Recipe {
    /** CIFAR-10 channel means and standard deviations (airbench94's {@code CIFAR_MEAN}, {@code CIFAR_STD}). */
    public static final double[] CIFAR_MEAN = {0.4914, 0.4822, 0.4465};
    public static final double[] CIFAR_STD = {0.2470, 0.2435, 0.2616};
    /** airbench94 whitens with the patches of the first 5 000 training images. */
    public static final int WHITENING_IMAGES = 5000;

    private enum Kind { CIFAR_FAST, MNIST, FASHION }

    private final Kind kind;
    private final Ablation ablation;
    private Lookahead lookahead;

    private ModernRecipe(Kind kind, Ablation ablation) {
        this.kind = kind;
        this.ablation = ablation;
    }

    /**
     * The recipe of an experiment: {@link Recipe#NONE} for the book's; the flags ({@link Ablation#FLAGS})
     * must be ones the experiment has ({@link UserError} otherwise).
     */
    public static Recipe forRun(Experiment e, List<String> flags) {
        Kind k = switch (e.name()) {
            case "cifar10-fast" -> Kind.CIFAR_FAST;
            case "mnist-modern" -> Kind.MNIST;
            case "fashion-modern" -> Kind.FASHION;
            default -> null;
        };
        if (k == null) {
            if (!flags.isEmpty()) {
                throw new UserError("--" + flags.get(0) + " applies to cifar10-fast (and --no-label-smoothing also to "
                        + "mnist-modern, fashion-modern), not to " + e.name());
            }
            return NONE;
        }
        Ablation a = Ablation.of(flags);
        if (k != Kind.CIFAR_FAST) {
            for (String f : flags) {
                if (!f.equals("no-label-smoothing")) {
                    throw new UserError("--" + f + " applies to cifar10-fast only; " + e.name()
                            + " knows --no-label-smoothing");
                }
            }
        }
        return new ModernRecipe(k, a);
    }

    public Ablation ablation() {
        return ablation;
    }

    /** The weight averaging of this run, or null (none yet, or {@code --no-ema}). */
    public Lookahead lookahead() {
        return lookahead;
    }

    @Override
    public NetConf network(Experiment e, NetSpec spec, long totalSteps) {
        return NetConf.of(kind == Kind.CIFAR_FAST ? CifarFast.conf(spec, totalSteps, ablation)
                : MnistModern.conf(spec, totalSteps, ablation.labelSmoothing()));
    }

    @Override
    public void initialise(Net net, DataSource src) {
        if (kind != Kind.CIFAR_FAST) {
            return;
        }
        Model m = net.model();
        String w = CifarFast.WHITEN + "_W", b = CifarFast.WHITEN + "_b";
        INDArray filters = m.getParam(w);
        if (ablation.whitening()) {
            int k = (int) filters.size(2);
            Whitening.Decomposition d = Whitening.decompose(Whitening.patchCovariance(
                    ((InMemorySource) src).trainSet(), WHITENING_IMAGES, k, CIFAR_MEAN, CIFAR_STD));
            filters = Whitening.filters(d, (int) filters.size(1), k, Whitening.EPS);
        }
        INDArray[] folded = foldNormalisation(filters, m.getParam(b), CIFAR_MEAN, CIFAR_STD);
        m.setParam(w, folded[0]);
        m.setParam(b, folded[1]);
    }

    /**
     * Filters {@code W} and bias {@code b} acting on normalised pixels {@code (x - mean_c) / std_c} as
     * filters and bias acting on {@code x}: {@code W_c / std_c} and {@code b - Σ W_c · mean_c / std_c}.
     */
    public static INDArray[] foldNormalisation(INDArray w, INDArray b, double[] mean, double[] std) {
        INDArray wf = w.dup();
        INDArray bf = b.dup().reshape(b.length());
        for (int c = 0; c < mean.length; c++) {
            INDArray wc = wf.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
            wc.divi(std[c]);
            bf.subi(wc.sum(1, 2).mul(mean[c]));
        }
        return new INDArray[] {wf, bf.reshape(b.shape())};
    }

    @Override
    public void attach(Net net, DataSource src, long stepsPerEpoch, long totalSteps) {
        if (kind != Kind.CIFAR_FAST) {
            return;
        }
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        List<String> frozen = new ArrayList<>();
        if (ablation.whitening()) {
            frozen.add(CifarFast.WHITEN + "_W"); // DL4J's NoOp updater alone still applies the raw gradient
        }
        for (int i = 0; i < mln.getnLayers(); i++) {
            if (mln.getLayer(i).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                frozen.add(i + "_gamma");
            }
        }
        List<INDArray> later = ablation.whitening() ? List.of(mln.getParam(CifarFast.WHITEN + "_b")) : List.of();
        // with whitening, the whitening layer has nothing left to train after its bias's epochs: no backward pass
        net.addListeners(new FreezeParams(frozen, later, CifarFast.WHITEN_BIAS_EPOCHS * stepsPerEpoch,
                ablation.whitening() ? CifarFast.WHITEN + 1 : 0));
        if (ablation.ema()) {
            lookahead = new Lookahead(net.params(), totalSteps);
            net.addListeners(lookahead);
        }
    }

    @Override
    public DataSetIterator train(DataSource src, int batch, long seed, boolean augment) {
        FlipTranslate.Flip flip = switch (kind) {
            case CIFAR_FAST -> ablation.alternatingFlip() ? FlipTranslate.Flip.ALTERNATING : FlipTranslate.Flip.RANDOM;
            case FASHION -> FlipTranslate.Flip.RANDOM;
            case MNIST -> FlipTranslate.Flip.NONE;
        };
        return ((InMemorySource) src).trainSet().shuffledIterator(batch, seed, new FlipTranslate(2, flip, seed));
    }

    @Override
    public Map<String, Object> finish(Net net, DataSource src, Pipeline pipeline, double lastTestAccuracy) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recipe", kind == Kind.CIFAR_FAST ? ablation.toMap() : Map.of("label_smoothing", ablation.labelSmoothing()));
        r.put("recipe_flags", ablation.off());
        if (kind == Kind.FASHION) { // test-time flip, MnistModern's Javadoc
            DataSetIterator test = src.test(500);
            test.setPreProcessor(pipeline);
            long t0 = System.nanoTime();
            r.put("test_accuracy_no_tta", lastTestAccuracy);
            r.put("test_accuracy_tta", Tta.mirrorAccuracy(net, test));
            r.put("tta_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        }
        if (kind == Kind.CIFAR_FAST) {
            Double tta = null;
            double seconds = 0;
            if (ablation.tta()) {
                DataSetIterator test = src.test(500);
                test.setPreProcessor(pipeline);
                long t0 = System.nanoTime();
                tta = Tta.accuracy(net, test);
                seconds = (System.nanoTime() - t0) / 1e9;
            }
            r.put("test_accuracy_no_tta", lastTestAccuracy);
            r.put("test_accuracy_tta", tta);
            r.put("tta_seconds", tta == null ? null : Math.round(seconds * 100) / 100.0);
        }
        return r;
    }
}
