package cnnlab.training;

import cnnlab.UserError;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * One face for the two kinds of DL4J network: a {@link MultiLayerNetwork} (chains) or a
 * {@link ComputationGraph} (branching nets). A graph with several outputs (GoogLeNet's auxiliary
 * classifiers) is trained with the same labels on every output and predicts from its first one.
 */
public final class Net {
    private final MultiLayerNetwork mln;
    private final ComputationGraph graph;
    private int fits;

    private Net(MultiLayerNetwork mln, ComputationGraph graph) {
        this.mln = mln;
        this.graph = graph;
    }

    /** Wraps an initialised network. */
    public static Net of(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return new Net(m, null);
        }
        if (model instanceof ComputationGraph g) {
            return new Net(null, g);
        }
        throw new IllegalArgumentException("not a DL4J network: " + model.getClass().getName());
    }

    /** Builds and initialises a network from a {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration}. */
    public static Net build(Object conf) {
        NativeMemory.configure(); // freed native memory goes back to the system (see NativeMemory)
        Net net;
        if (conf instanceof MultiLayerConfiguration c) {
            net = new Net(new MultiLayerNetwork(c), null);
            net.mln.init();
        } else if (conf instanceof ComputationGraphConfiguration c) {
            net = new Net(null, new ComputationGraph(c));
            net.graph.init();
        } else {
            throw new IllegalArgumentException("not a network configuration: " + conf);
        }
        // Keep forward activations for the backward pass instead of recomputing them (see
        // docs/PERFORMANCE.md; DL4J's default recomputes the forward pass of conv layers); on the CPU,
        // run conv/pool/batch norm on oneDNN (OneDnnHelpers; opt out with CNNLAB_ONEDNN=0).
        net.setCacheMode(CacheMode.HOST);
        OneDnnHelpers.attach(net);
        return net;
    }

    public void setCacheMode(CacheMode mode) {
        if (mln != null) {
            mln.setCacheMode(mode);
        } else {
            graph.setCacheMode(mode);
        }
    }

    public Model model() {
        return mln != null ? mln : graph;
    }

    public boolean isGraph() {
        return graph != null;
    }

    /** One training step on a mini-batch; returns the training loss of that step. */
    public double fit(DataSet ds) {
        if (mln != null) {
            mln.fit(ds);
        } else {
            int outs = graph.getNumOutputArrays();
            INDArray[] labels = new INDArray[outs];
            java.util.Arrays.fill(labels, ds.getLabels());
            graph.fit(new MultiDataSet(new INDArray[] {ds.getFeatures()}, labels));
        }
        if (++fits == NativeMemory.LEARNING_STEPS) {
            NativeMemory.steady(); // the workspaces have their sizes (see NativeMemory)
        }
        return mln != null ? mln.score() : graph.score();
    }

    /** Class probabilities for a batch (inference mode). */
    public INDArray output(INDArray features) {
        return mln != null ? mln.output(features, false) : graph.output(false, features)[0];
    }

    public INDArray params() {
        return model().params();
    }

    public void setParams(INDArray params) {
        model().setParams(params);
    }

    public long numParams() {
        return model().numParams();
    }

    public void addListeners(org.deeplearning4j.optimize.api.TrainingListener... listeners) {
        if (mln != null) {
            mln.addListeners(listeners);
        } else {
            graph.addListeners(listeners);
        }
    }

    public String summary() {
        return mln != null ? mln.summary() : graph.summary();
    }

    public int iterationCount() {
        return mln != null ? mln.getIterationCount() : graph.getIterationCount();
    }

    /**
     * Saves the network with its updater state and normalizer, plus a JSON metadata entry, atomically:
     * written to a temporary file in the same folder, then renamed over {@code file}. A crash
     * mid-write leaves any earlier file intact.
     */
    public void save(Path file, DataNormalization normalizer, String metaJson) {
        save(file, normalizer, metaJson == null ? Map.of() : Map.of(ModelMeta.ENTRY, metaJson));
    }

    /** Like {@link #save(Path, DataNormalization, String)}, with any extra text entries in the zip. */
    public void save(Path file, DataNormalization normalizer, Map<String, String> entries) {
        Path tmp = null;
        try {
            tmp = AtomicFiles.tempFor(file);
            File f = tmp.toFile();
            // writeModel(model, file, true, normalizer) fails in M2.1 with commons-io 2.7 ("flush() failed:
            // stream is closed"); writing the normalizer in a second step works.
            ModelSerializer.writeModel(model(), f, true);
            if (normalizer != null) {
                ModelSerializer.addNormalizerToModel(f, normalizer);
            }
            if (!entries.isEmpty()) {
                try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(tmp)) {
                    for (Map.Entry<String, String> en : entries.entrySet()) {
                        Files.writeString(zip.getPath(en.getKey()), en.getValue());
                    }
                }
            }
            AtomicFiles.publish(tmp, file);
        } catch (IOException e) {
            throw new UserError("cannot save model to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Copies a file atomically (temporary copy + rename). */
    public static void copyAtomically(Path from, Path to) {
        try {
            Path tmp = AtomicFiles.tempFor(to);
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.publish(tmp, to);
        } catch (IOException e) {
            throw new UserError("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model zip written by {@link #save}. Anything that is not a DL4J model is a
     * {@link UserError} naming the file.
     */
    public static Net load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("model file not found: " + file);
        }
        File f = file.toFile();
        NativeMemory.configure();
        try {
            boolean graph;
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(f)) {
                var entry = zip.getEntry("configuration.json");
                if (entry == null) {
                    throw new UserError(file + " is not a DL4J model (no configuration.json inside)");
                }
                String json = new String(zip.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                graph = json.contains("\"vertices\"");
            }
            Net net = graph ? new Net(null, ModelSerializer.restoreComputationGraph(f, true))
                    : new Net(ModelSerializer.restoreMultiLayerNetwork(f, true), null);
            net.setCacheMode(CacheMode.HOST);
            OneDnnHelpers.attach(net);
            return net;
        } catch (java.util.zip.ZipException e) {
            throw new UserError(file + " is not a DL4J model (not a zip file)");
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    /** The normalizer saved with a model, or null. */
    public static DataNormalization loadNormalizer(Path file) {
        try {
            return ModelSerializer.restoreNormalizerFromFile(file.toFile());
        } catch (Exception e) {
            throw new UserError("cannot read the normalizer of " + file + ": " + e.getMessage(), e);
        }
    }
}
