package cnnlab.training;

import cnnlab.AtomicFiles;
import cnnlab.UserError;
import cnnlab.models.NetConf;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
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

    /** Builds and initialises a chain. */
    public static Net build(MultiLayerConfiguration conf) {
        return build(NetConf.of(conf));
    }

    /** Builds and initialises a graph. */
    public static Net build(ComputationGraphConfiguration conf) {
        return build(NetConf.of(conf));
    }

    /** Builds and initialises a network: a {@link MultiLayerNetwork} for a chain, a {@link ComputationGraph} for a graph. */
    public static Net build(NetConf conf) {
        NativeMemory.configure(); // freed native memory goes back to the system (see NativeMemory)
        Net net;
        if (conf instanceof NetConf.Chain c) {
            net = new Net(new MultiLayerNetwork(c.conf()), null);
            net.mln.init();
        } else {
            net = new Net(null, new ComputationGraph(conf.graph()));
            net.graph.init();
        }
        // Keep forward activations for the backward pass instead of recomputing them (see
        // docs/PERFORMANCE.md; DL4J's default recomputes the forward pass of conv layers); on the CPU,
        // run conv/pool/batch norm on oneDNN (OneDnnHelpers; opt out with CNNLAB_ONEDNN=0).
        net.setCacheMode(CacheMode.HOST);
        OneDnnHelpers.attach(net);
        return net;
    }

    /**
     * Sets the cache mode on every layer and, for a chain, on its configuration: a convolution layer keeps a
     * copy of its forward output for the backward pass only when the network's workspace manager has a place
     * for it, which DL4J gives it only when the configuration's cache mode is set too (otherwise each
     * convolution's backward pass runs its forward pass again). A graph's configuration is left alone: its
     * convolutions are followed by batch norm, and {@link ConvHelper} avoids the second pass without the copy,
     * which would cost GoogLeNet and DenseNet one more activation-sized array per convolution.
     */
    public void setCacheMode(CacheMode mode) {
        if (mln != null) {
            mln.getLayerWiseConfigurations().setCacheMode(mode);
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

    /**
     * From now on the chain's backward pass stops above its first {@code n} layers, which must have nothing left
     * to train: like PyTorch's autograd, which computes no gradient that no parameter needs. They are wrapped in
     * DL4J's {@link FrozenLayer} (the chain's backward loop ends at the first one it meets) and their gradients
     * are zeroed once: the updater still sees those, so a caller that gave them momentum or weight decay undoes
     * their steps (cifar10-fast's {@code FreezeParams}). A frozen layer runs in inference mode, the same
     * computation for any layer without dropout or batch norm, which are refused.
     */
    public static void stopBackpropBelow(MultiLayerNetwork m, int n) {
        for (int i = 0; i < n; i++) {
            Layer l = m.getLayers()[i];
            if (l instanceof FrozenLayer) {
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer c = l.conf().getLayer();
            if (c.getIDropout() != null || c instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                throw new IllegalArgumentException("layer " + i + " computes differently in inference mode: " + c);
            }
            if (l.getGradientsViewArray() != null) {
                l.getGradientsViewArray().assign(0);
            }
            OneDnnHelpers.replace(m, i, l, new FrozenLayer(l));
        }
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

    /**
     * Saves the network for use ({@code model.zip}, {@code model-last.zip}, {@code models/<experiment>.zip}):
     * as stock DL4J loads it ({@link PortableModel}: cnnlab's training classes replaced by stock ones with the
     * same outputs, no updater state), with its normalizer and a JSON metadata entry, atomically: written to a
     * temporary file in the same folder, then renamed over {@code file}. A crash mid-write leaves any earlier
     * file intact.
     */
    public void save(Path file, DataNormalization normalizer, String metaJson) {
        write(file, normalizer, metaJson == null ? Map.of() : Map.of(ModelMeta.ENTRY, metaJson), true);
    }

    /**
     * Saves the full training state (checkpoints): the network as trained, with cnnlab's classes and the
     * updater state, the normalizer and any extra text entries in the zip, atomically.
     */
    public void save(Path file, DataNormalization normalizer, Map<String, String> entries) {
        write(file, normalizer, entries, false);
    }

    /**
     * DL4J writes the network to one temporary file; a second one beside it gets the network's entries, the
     * normalizer and the extra entries, and is renamed over {@code file}. Both temporary files are removed
     * whatever happens (a full disk leaves neither them nor a half-written {@code file} behind).
     */
    private void write(Path file, DataNormalization normalizer, Map<String, String> entries, boolean forUse) {
        Path dl4j = null;
        try {
            dl4j = AtomicFiles.tempFor(file);
            // writeModel(model, file, true, normalizer) fails in M2.1 with commons-io 2.7 ("flush() failed:
            // stream is closed"); the normalizer is added below.
            ModelSerializer.writeModel(forUse ? PortableModel.of(model()) : model(), dl4j.toFile(), !forUse);
            Path from = dl4j;
            AtomicFiles.write(file, tmp -> {
                try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(from.toFile());
                     java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(
                             new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                    for (var en = in.entries(); en.hasMoreElements(); ) {
                        java.util.zip.ZipEntry e = en.nextElement();
                        if (entries.containsKey(e.getName()) || e.getName().equals(ModelSerializer.NORMALIZER_BIN)) {
                            continue;
                        }
                        out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                        try (java.io.InputStream is = in.getInputStream(e)) {
                            if (forUse && e.getName().equals("configuration.json")) {
                                String conf = new String(is.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                                if (PortableModel.needsCnnlab(conf)) {
                                    conf = PortableModel.withNote(conf);
                                }
                                out.write(conf.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            } else {
                                is.transferTo(out);
                            }
                        }
                        out.closeEntry();
                    }
                    if (normalizer != null) {
                        out.putNextEntry(new java.util.zip.ZipEntry(ModelSerializer.NORMALIZER_BIN));
                        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                        try {
                            org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer.getDefault()
                                    .write(normalizer, b);
                        } catch (Exception ex) {
                            throw new IOException("cannot serialise the normalizer: " + ex.getMessage(), ex);
                        }
                        out.write(b.toByteArray());
                        out.closeEntry();
                    }
                    for (Map.Entry<String, String> en : entries.entrySet()) {
                        out.putNextEntry(new java.util.zip.ZipEntry(en.getKey()));
                        out.write(en.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        out.closeEntry();
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) {
                throw new UserError("cannot save model to " + file + ": " + u.getMessage()
                        .replaceFirst("^cannot write \\S+: ", ""), e);
            }
            throw new UserError("cannot save model to " + file + ": " + AtomicFiles.reason(e), e);
        } finally {
            AtomicFiles.deleteQuietly(dl4j);
        }
    }

    /** Copies a file atomically (temporary copy + rename). */
    public static void copyAtomically(Path from, Path to) {
        AtomicFiles.write(to, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    /**
     * Loads a model zip written by {@link #save}. Anything that is not a DL4J model is a
     * {@link UserError} naming the file.
     */
    public static Net load(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError(file + " is a folder, not a model zip");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("model file not found: " + file);
        }
        File f = file.toFile();
        boolean graph = verifyZip(file).contains("\"vertices\"");
        NativeMemory.configure();
        try {
            Net net = graph ? new Net(null, ModelSerializer.restoreComputationGraph(f, true))
                    : new Net(ModelSerializer.restoreMultiLayerNetwork(f, true), null);
            net.setCacheMode(CacheMode.HOST);
            OneDnnHelpers.attach(net);
            return net;
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks a model zip before DL4J reads it: a zip at all, every entry intact (its CRC), and the
     * two entries DL4J needs. Returns the network's configuration JSON.
     */
    static String verifyZip(Path file) {
        byte[] magic = new byte[4];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(magic, 0, 4);
            if (n < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
                throw new UserError(file + " is not a DL4J model (not a zip file)");
            }
        } catch (IOException e) {
            throw new UserError("cannot read model " + file + ": " + AtomicFiles.reason(e), e);
        }
        String current = "its table of contents";
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            String conf = null;
            boolean coefficients = false;
            for (var en = zip.entries(); en.hasMoreElements(); ) {
                java.util.zip.ZipEntry e = en.nextElement();
                current = e.getName();
                // what the entry claims, checked before anything is read: deflate expands at most ~1032:1
                if (e.getSize() < 0 || e.getSize() > 1100 * Math.max(1, e.getCompressedSize()) + 4096
                        || e.getName().equals(ModelSerializer.CONFIGURATION_JSON) && e.getSize() > (64 << 20)) {
                    throw new java.util.zip.ZipException("claims " + e.getSize() + " bytes from "
                            + e.getCompressedSize());
                }
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                long read;
                try (java.io.InputStream is = new java.util.zip.CheckedInputStream(zip.getInputStream(e), crc)) {
                    if (e.getName().equals(ModelSerializer.CONFIGURATION_JSON)) {
                        byte[] b = is.readAllBytes();
                        read = b.length;
                        conf = new String(b, java.nio.charset.StandardCharsets.UTF_8);
                    } else {
                        read = is.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                if (read != e.getSize() || e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new java.util.zip.ZipException("its content fails the " + (read != e.getSize() ? "size"
                            : "CRC") + " check");
                }
                coefficients |= e.getName().equals(ModelSerializer.COEFFICIENTS_BIN);
            }
            if (conf == null || !coefficients) {
                throw new UserError(file + " is not a DL4J model (no " + (conf == null ? ModelSerializer.CONFIGURATION_JSON
                        : ModelSerializer.COEFFICIENTS_BIN) + " inside)");
            }
            return conf;
        } catch (IOException e) {
            throw new UserError(file + " is a damaged zip file (" + current + ": " + AtomicFiles.reason(e)
                    + "); use another copy of the model", e);
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
