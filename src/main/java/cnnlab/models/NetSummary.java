package cnnlab.models;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * A network's table as the book prints them (18.0-18.4): for each layer its type, output shape,
 * parameter count and multiply-adds, from the configuration alone (no weights are allocated). Shapes
 * come from DL4J's own {@link InputType} inference; an input too small for the network (a layer with an
 * empty output) is an {@link IllegalArgumentException}.
 *
 * <p>What is counted:
 * <ul>
 * <li>learnable parameters: weights, biases, batch-norm gamma/beta; {@code all} adds batch norm's running
 *     mean and variance (2 per channel), which are stored as parameters but not trained by gradient;</li>
 * <li>multiply-adds per image: convolution {@code k_h·k_w·C_in·C_out·H_out·W_out} (DL4J has no grouped
 *     convolution), fully connected {@code n_in·n_out}; biases, batch norm, activations, pooling, LRN,
 *     additions and concatenations count 0 (they are linear in the activations, a fraction of a percent
 *     for these networks).</li>
 * </ul>
 */
public final class NetSummary {

    /** One layer or vertex: output shape without the batch dimension. */
    public record Row(String name, String type, long[] output, long params, long allParams, long macs) {
    }

    private final List<Row> rows;

    private NetSummary(List<Row> rows) {
        for (Row r : rows) {
            for (long d : r.output()) {
                if (d <= 0) {
                    throw new IllegalArgumentException("the input is too small: layer " + r.name() + " ("
                            + r.type() + ") would output " + java.util.Arrays.toString(r.output()));
                }
            }
        }
        this.rows = List.copyOf(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public long learnableParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    public long allParams() {
        return rows.stream().mapToLong(Row::allParams).sum();
    }

    public long macs() {
        return rows.stream().mapToLong(Row::macs).sum();
    }

    /** The summary of a chain or a graph. */
    public static NetSummary of(NetConf conf, InputType input) {
        return conf instanceof NetConf.Chain c ? of(c.conf(), input) : of(conf.graph(), input);
    }

    public static NetSummary of(MultiLayerConfiguration conf, InputType input) {
        List<InputType> types = conf.getLayerActivationTypes(input);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer l = conf.getConf(i).getLayer();
            rows.add(row(l.getLayerName() != null ? l.getLayerName() : "layer" + i, l, types.get(i)));
        }
        return new NetSummary(rows);
    }

    public static NetSummary of(ComputationGraphConfiguration conf, InputType input) {
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        List<Row> rows = new ArrayList<>();
        for (String name : order(conf)) {
            GraphVertex v = conf.getVertices().get(name);
            InputType out = types.get(name);
            if (v instanceof LayerVertex lv) {
                rows.add(row(name, lv.getLayerConf().getLayer(), out));
            } else {
                String type = v instanceof MergeVertex ? "concat"
                        : v instanceof ElementWiseVertex e ? e.toString().toLowerCase(Locale.ROOT).contains("add")
                        ? "add" : "elementwise" : v.getClass().getSimpleName();
                long p = v.numParams(false);
                rows.add(new Row(name, type + " " + conf.getVertexInputs().get(name), shape(out), p, p, 0));
            }
        }
        return new NetSummary(rows);
    }

    /** Vertices in a topological order that keeps the order they were added in where it can. */
    private static List<String> order(ComputationGraphConfiguration conf) {
        Set<String> done = new LinkedHashSet<>(conf.getNetworkInputs());
        List<String> pending = new ArrayList<>(conf.getVertices().keySet());
        pending.removeAll(done);
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                String v = it.next();
                if (done.containsAll(conf.getVertexInputs().get(v))) {
                    done.add(v);
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalArgumentException("graph has a cycle among " + pending);
            }
        }
        List<String> ordered = new ArrayList<>(done);
        ordered.removeAll(conf.getNetworkInputs());
        return ordered;
    }

    private static Row row(String name, Layer l, InputType out) {
        long all = l.initializer().numParams(l);
        long stats = l instanceof BatchNormalization bn ? 2 * bn.getNOut() : 0;
        long[] shape = shape(out);
        long macs = 0;
        if (l instanceof ConvolutionLayer c && shape.length == 3) {
            int[] k = c.getKernelSize();
            macs = (long) k[0] * k[1] * c.getNIn() * c.getNOut() * shape[1] * shape[2];
        } else if (l instanceof DenseLayer || l instanceof BaseOutputLayer) {
            FeedForwardLayer f = (FeedForwardLayer) l;
            macs = f.getNIn() * f.getNOut();
        }
        return new Row(name, describe(l), shape, all - stats, all, macs);
    }

    private static long[] shape(InputType t) {
        return t == null ? new long[0] : t.getShape(false);
    }

    /** A short type description in the book's style, e.g. {@code conv 3x3/1 p1 relu}. */
    static String describe(Layer l) {
        if (l instanceof ConvolutionLayer c) {
            int[] k = c.getKernelSize(), s = c.getStride(), p = c.getPadding();
            return "conv " + k[0] + "x" + k[1] + "/" + s[0] + (p[0] > 0 ? " p" + p[0] : "") + act(c.getActivationFn());
        }
        if (l instanceof SubsamplingLayer s) {
            int[] k = s.getKernelSize(), st = s.getStride(), p = s.getPadding();
            return s.getPoolingType().name().toLowerCase(Locale.ROOT) + "-pool " + k[0] + "x" + k[1] + "/" + st[0]
                    + (p[0] > 0 ? " p" + p[0] : "");
        }
        if (l instanceof GlobalPoolingLayer g) {
            return "global " + g.getPoolingType().name().toLowerCase(Locale.ROOT) + "-pool";
        }
        if (l instanceof BaseOutputLayer o) {
            return "output" + act(o.getActivationFn()) + " "
                    + o.getLossFn().name().replace("Loss", "").replace("()", "").toLowerCase(Locale.ROOT);
        }
        if (l instanceof DenseLayer d) {
            return "dense" + act(d.getActivationFn());
        }
        if (l instanceof BatchNormalization) {
            return "batch-norm";
        }
        if (l instanceof ActivationLayer a) {
            return act(a.getActivationFn()).trim();
        }
        if (l instanceof LocalResponseNormalization) {
            return "LRN";
        }
        if (l instanceof DropoutLayer d) {
            return "dropout";
        }
        return l.getClass().getSimpleName();
    }

    private static String act(Object fn) {
        String s = String.valueOf(fn).toLowerCase(Locale.ROOT);
        return s.contains("identity") ? "" : " " + s;
    }
}
