package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The experiments' mains: which experiment they train, and that every network class has one. */
class ExperimentMainTest {
    @Test
    void argumentsPassThroughToTrain() {
        assertArrayEquals(new String[] {"train", "mnist-cnn", "--epochs", "1"},
                ExperimentMain.commandLine(new String[] {"--epochs", "1"}, "mnist-cnn"));
        assertArrayEquals(new String[] {"train", "fashion-cnn"}, ExperimentMain.commandLine(new String[0],
                "fashion-cnn", "fashion-cnn-bn"));
        assertArrayEquals(new String[] {"train", "fashion-cnn-bn", "--epochs", "1"}, ExperimentMain.commandLine(
                new String[] {"fashion-cnn-bn", "--epochs", "1"}, "fashion-cnn", "fashion-cnn-bn"));
        // another experiment's name is not this class's to pick: it reaches 'train' as an extra argument
        assertArrayEquals(new String[] {"train", "mnist-cnn", "shape-cnn"},
                ExperimentMain.commandLine(new String[] {"shape-cnn"}, "mnist-cnn"));
    }

    @Test
    void everyExperimentsNetworkClassHasAMain() throws Exception {
        String[] classes = {"ColorDnn", "ColorCnn", "ShapeDnn", "ShapeCnn", "ShapeColorDnn", "ShapeColorCnn", "MnistDnn",
            "MnistCnn", "FashionDnn", "FashionCnn", "Cifar10Cnn", "classic.LeNet5", "classic.ResNet", "classic.Vgg16",
            "classic.GoogLeNet", "classic.DenseNet121", "modern.CifarFast", "modern.MnistModern"};
        for (String c : classes) {
            Method main = assertDoesNotThrow(() -> Class.forName("cnnlab.models." + c).getMethod("main", String[].class));
            assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()), c);
        }
    }
}
