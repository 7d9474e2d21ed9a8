package cnnlab.models;

import cnnlab.models.classic.ClassicNet;
import cnnlab.models.classic.DenseNet121;
import cnnlab.models.classic.GoogLeNet;
import cnnlab.models.classic.LeNet5;
import cnnlab.models.classic.ResNet;
import cnnlab.models.classic.Vgg16;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Training recipes for the classic networks of 18.0 on data sets that fit them (the book describes these
 * networks but trains none, so the experiments have no book accuracy). Registered in {@link Experiments}.
 *
 * <ul>
 * <li>{@code lenet5-mnist}: LeNet-5 (tanh, average pooling) on MNIST 1×28×28 with C1 padded by 2; SGD with
 *     momentum 0.9 (Nesterov), lr 0.01, batch 64, 10 epochs: the classic recipe; no augmentation.</li>
 * <li>{@code resnet18-cifar10}, {@code vgg16-cifar10} (with BN, FC 512), {@code googlenet-cifar10} (with BN,
 *     stride-1 stem), {@code densenet121-cifar10} (3×3 stem): the CIFAR-10 variants
 *     ({@link ClassicNet#small()}), Adam lr 1e-3, 30 epochs, random crop + flip augmentation; batch 128 for
 *     ResNet-18 and VGG-16, 32 for GoogLeNet and DenseNet-121: under DL4J these two hold about 180 and 290 MB
 *     of activations and gradients per 32×32 image in training (measured with {@code cnnlab bench nets
 *     --batch 16}: peak RSS 3.3 and 5.0 GB), so batch 128 would need 25-40 GB.
 *     Adam because every one of them has batch normalisation and it needs no learning-rate schedule (the
 *     experiment has one learning rate); the papers' CIFAR recipes (SGD 0.1 with step decay, 160-300
 *     epochs) would cost days on a CPU. 30 epochs is a CPU-budget compromise, not a converged run.</li>
 * </ul>
 */
final class ClassicExperiments {
    private ClassicExperiments() {
    }

    static NetConf lenet5(NetSpec s) {
        return spec(new LeNet5(), s).updater(new Nesterovs(s.learningRate(), 0.9)).build();
    }

    static NetConf resnet18(NetSpec s) {
        return spec(ResNet.resnet18().small(), s).updater(new Adam(s.learningRate())).build();
    }

    static NetConf vgg16(NetSpec s) {
        return spec(new Vgg16().small(), s).updater(new Adam(s.learningRate())).build();
    }

    static NetConf googlenet(NetSpec s) {
        return spec(new GoogLeNet().small(), s).updater(new Adam(s.learningRate())).build();
    }

    static NetConf densenet121(NetSpec s) {
        return spec(new DenseNet121().small(), s).updater(new Adam(s.learningRate())).build();
    }

    private static <T extends ClassicNet<T>> T spec(T net, NetSpec s) {
        if (s.layers() != LayerChoice.DL4J) {
            throw new cnnlab.UserError("the classic networks only use DL4J's layers (--layers dl4j)");
        }
        return net.input(s.channels(), s.height(), s.width()).classes(s.classes()).seed(s.seed());
    }
}
