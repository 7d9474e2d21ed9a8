package cnnlab.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Sets the inference statistics (global mean and variance) of every batch-normalisation layer of a network to
 * the population statistics of some mini-batches, as Ioffe &amp; Szegedy, "Batch normalization" (ICML 2015),
 * algorithm 2 steps 8-11, prescribe for inference: E[x] is the mean of the mini-batch means and Var[x] is
 * m/(m-1) times the mean of the mini-batch variances, each taken over the layer's input in training mode
 * (earlier batch-norm layers normalising by their own mini-batch).
 *
 * <p>Why: with gradient sharing ({@code --spark-mode sharing}) DL4J threshold-encodes every update, and its
 * batch-norm layers keep their inference statistics as parameters that move by the running-average "update"
 * {@code (1-decay)(global - batch)} through the same encoding: each element moves by at most the threshold
 * (about 1e-3) per step, and DL4J's residual clipping drops most of the rest, so the driver's statistics stay
 * near their initial 0 and 1 while the training itself (which normalises by mini-batch statistics) is fine.
 * docs/SCALING.md has the measurements.
 */
final class PopulationBatchNorm {
    private PopulationBatchNorm() {
    }

    /** Recomputes the statistics of each batch-norm layer of {@code model} from these mini-batches; false: it has none. */
    static boolean recompute(Model model, List<DataSet> batches) {
        List<Layer> bn = new ArrayList<>();
        for (Layer l : model instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) model).getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) {
                bn.add(l);
            }
        }
        if (bn.isEmpty() || batches.isEmpty()) {
            return false;
        }
        INDArray[] mean = new INDArray[bn.size()];
        INDArray[] var = new INDArray[bn.size()];
        long[] per = new long[bn.size()];
        for (DataSet d : batches) {
            List<INDArray> inputs = inputsOf(model, bn, d.getFeatures());
            for (int i = 0; i < bn.size(); i++) {
                INDArray x = inputs.get(i);
                int[] dims = reduceDims(x, (BatchNormalization) bn.get(i).conf().getLayer());
                INDArray mu = x.mean(dims);
                INDArray v = x.var(false, dims);
                mean[i] = mean[i] == null ? mu : mean[i].addi(mu);
                var[i] = var[i] == null ? v : var[i].addi(v);
                per[i] = x.length() / mu.length();
            }
        }
        for (int i = 0; i < bn.size(); i++) {
            Map<String, INDArray> p = bn.get(i).paramTable();
            INDArray mu = mean[i].divi(batches.size());
            INDArray v = var[i].divi(batches.size());
            if (per[i] > 1) {
                v.muli((double) per[i] / (per[i] - 1));
            }
            INDArray globalMean = p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
            globalMean.assign(mu.reshape(globalMean.shape()));
            if (((BatchNormalization) bn.get(i).conf().getLayer()).isUseLogStd()) {
                INDArray logStd = p.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                logStd.assign(Transforms.log(v, 10.0, true).muli(0.5).reshape(logStd.shape())); // log10(sqrt(var))
            } else {
                INDArray globalVar = p.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
                globalVar.assign(v.reshape(globalVar.shape()));
            }
        }
        return true;
    }

    /** The input of each batch-norm layer for these features, in training mode. */
    private static List<INDArray> inputsOf(Model model, List<Layer> bn, INDArray features) {
        List<INDArray> out = new ArrayList<>();
        if (model instanceof MultiLayerNetwork net) {
            List<INDArray> acts = net.feedForward(features, true); // [input, output of layer 0, ...]
            for (Layer l : bn) {
                int i = l.getIndex();
                INDArray x = acts.get(i);
                InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
                out.add(pre == null ? x : pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces()));
            }
        } else {
            ComputationGraph g = (ComputationGraph) model;
            Map<String, INDArray> acts = g.feedForward(new INDArray[] {features}, true);
            for (Layer l : bn) {
                String name = l.conf().getLayer().getLayerName();
                GraphVertex v = g.getVertex(name);
                INDArray x = acts.get(g.getConfiguration().getVertexInputs().get(name).get(0));
                InputPreProcessor pre = v instanceof org.deeplearning4j.nn.graph.vertex.impl.LayerVertex lv
                        ? lv.getLayerPreProcessor() : null;
                out.add(pre == null ? x : pre.preProcess(x, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces()));
            }
        }
        return out;
    }

    /** The axes a batch-norm layer averages over: all but the channel axis. */
    private static int[] reduceDims(INDArray x, BatchNormalization conf) {
        if (x.rank() == 2) {
            return new int[] {0};
        }
        if (x.rank() == 4) {
            return conf.getCnn2DFormat() == CNN2DFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
        }
        throw new IllegalStateException("batch norm over rank-" + x.rank() + " input is not supported here");
    }
}
