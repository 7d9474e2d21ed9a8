package cnnlab.models;

import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * A network configuration as DL4J knows two kinds: a {@link Chain} of layers ({@code MultiLayerConfiguration},
 * every chapter net, LeNet-5, AlexNet, ZFNet, VGG) or a {@link Graph} ({@code ComputationGraphConfiguration}, the
 * nets that branch: GoogLeNet, ResNet, DenseNet).
 */
public sealed interface NetConf permits NetConf.Chain, NetConf.Graph {

    /** A chain of layers, each feeding the next. */
    record Chain(MultiLayerConfiguration conf) implements NetConf {
        public Chain {
            Objects.requireNonNull(conf, "conf");
        }
    }

    /** A graph of layers and vertices (merge, add, several outputs). */
    record Graph(ComputationGraphConfiguration conf) implements NetConf {
        public Graph {
            Objects.requireNonNull(conf, "conf");
        }
    }

    static Chain of(MultiLayerConfiguration conf) {
        return new Chain(conf);
    }

    static Graph of(ComputationGraphConfiguration conf) {
        return new Graph(conf);
    }

    /** The chain's configuration, for code that knows it has a chain; {@link IllegalStateException} for a graph. */
    default MultiLayerConfiguration chain() {
        if (this instanceof Chain c) {
            return c.conf();
        }
        throw new IllegalStateException("a graph configuration, not a chain");
    }

    /** The graph's configuration, for code that knows it has a graph; {@link IllegalStateException} for a chain. */
    default ComputationGraphConfiguration graph() {
        if (this instanceof Graph g) {
            return g.conf();
        }
        throw new IllegalStateException("a chain configuration, not a graph");
    }

    /** DL4J's JSON of the configuration. */
    default String toJson() {
        return this instanceof Chain c ? c.conf().toJson() : graph().toJson();
    }
}
