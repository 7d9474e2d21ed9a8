package cnnlab.models.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import cnnlab.data.InputView;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import cnnlab.models.NetSummary;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The classic nets' experiments: registered after the chapter's, built for their data set's input. */
class ClassicExperimentsTest {

    @ParameterizedTest
    @ValueSource(strings = {"lenet5-mnist", "resnet18-cifar10", "vgg16-cifar10", "googlenet-cifar10",
            "densenet121-cifar10"})
    void buildsForItsDataSet(String name) {
        Experiment e = Experiments.get(name);
        List<String> order = Experiments.all().stream().map(Experiment::name).toList();
        assertTrue(order.indexOf(name) > order.indexOf("shape-color-cnn"), "registered after the book's experiments");
        assertEquals("18.0", e.section());
        assertTrue(Double.isNaN(e.bookAccuracy()));
        assertEquals(InputView.IMAGE, e.view());
        assertEquals(e.data().equals("cifar-10"), e.augment());
        assertEquals(name.equals("lenet5-mnist") ? "mnist" : "cifar-10", e.data());
        DataSources.Info info = DataSources.info(e.data());
        NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classes(), e.learningRate(), 1,
                LayerChoice.DL4J);
        NetSummary s = NetSummary.of(e.network().apply(spec),
                InputType.convolutional(info.height(), info.width(), info.channels()));
        assertArrayEquals(new long[] {10}, s.rows().get(s.rows().size() - 1).output());
        if (name.equals("lenet5-mnist")) {
            assertEquals(61_706, s.learnableParams());
        }
        assertThrows(UserError.class, () -> e.network().apply(spec.withLayers(LayerChoice.CUSTOM)));
    }
}
