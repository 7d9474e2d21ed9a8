package cnnlab.training;

import cnnlab.data.DataSource;
import cnnlab.data.DataSources;
import cnnlab.layers.Npy;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cross-framework step trace (test scope, a diagnostic tool, not a test): trains an experiment's
 * network for a number of steps exactly as {@link Trainer} does (same network build, oneDNN helpers,
 * cache mode, data pipeline, and an inference pass on a validation batch every {@code check} steps) and
 * writes what another implementation needs to replay it: each layer's initial parameters, every batch,
 * the per-step losses and the final parameters, as {@code .npy} files. {@code bench/step_replay.py}
 * replays them in PyTorch.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) cnnlab.training.StepTrace
 *     EXPERIMENT DATA_DIR OUT_DIR STEPS [CHECK [SEED]]</pre>
 */
public final class StepTrace {
    public static void main(String[] args) throws IOException {
        Experiment e = Experiments.get(args[0]);
        Path out = Path.of(args[2]);
        int steps = Integer.parseInt(args[3]);
        int check = args.length > 4 ? Integer.parseInt(args[4]) : 43;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 42;
        Files.createDirectories(out);
        DataSource src = DataSources.open(e.data(), Path.of(args[1]), seed);
        NetSpec spec = new NetSpec(src.channels(), src.height(), src.width(), src.classNames().size(),
                e.learningRate(), seed, LayerChoice.DL4J);
        Nd4j.getRandom().setSeed(seed);
        Net net = Net.build(e.network().apply(spec));
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        writeParams(mln, out, "init");
        Pipeline pipeline = new Pipeline(src.normalizer(), e.view());
        DataSetIterator train = src.train(e.batch(), seed, false);
        DataSetIterator val = src.validation(256);
        train.setPreProcessor(pipeline);
        val.setPreProcessor(pipeline);
        DataSet valBatch = val.next();
        List<String> losses = new ArrayList<>();
        for (int s = 0; s < steps && train.hasNext(); s++) {
            DataSet ds = train.next();
            Npy.write(ds.getFeatures(), out.resolve("x" + s + ".npy"));
            Npy.write(ds.getLabels(), out.resolve("y" + s + ".npy"));
            losses.add(Double.toString(net.fit(ds)));
            if ((s + 1) % check == 0) {
                net.output(ds.getFeatures());
                net.output(valBatch.getFeatures());
            }
        }
        Files.write(out.resolve("losses.txt"), losses);
        writeParams(mln, out, "final");
        System.out.println("oneDNN helpers " + (OneDnnHelpers.active() ? "on" : "off") + "; " + losses.size()
                + " steps written to " + out);
    }

    private static void writeParams(MultiLayerNetwork mln, Path out, String tag) {
        for (Layer layer : mln.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                Npy.write(p.getValue(), out.resolve(tag + "_" + layer.conf().getLayer().getLayerName() + "_"
                        + p.getKey() + ".npy"));
            }
        }
    }
}
