package cnnlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.UserError;
import cnnlab.data.InputView;
import cnnlab.models.classic.ClassicNets;
import org.junit.jupiter.api.Test;

/** The name → network lookup of {@code summary} and {@code bench nets}, and the experiment declarations. */
class NetCatalogTest {

    @Test
    void namesAreTheExperimentsThenTheClassicNets() {
        var names = NetCatalog.names();
        assertEquals(Experiments.all().size() + ClassicNets.names().size(), names.size());
        assertEquals(Experiments.all().get(0).name(), names.get(0));
        assertEquals(ClassicNets.names(), names.subList(Experiments.all().size(), names.size()));
    }

    @Test
    void anExperimentAtItsDataSetsInputAndAClassicNetAtItsDefault() {
        NetCatalog.Entry dnn = NetCatalog.get("mnist-dnn", LayerChoice.DL4J);
        assertArrayEquals(new int[] {784}, dnn.input(), "a DNN sees flat pixels");
        assertEquals(10, dnn.classes());
        assertSame(Experiments.get("mnist-dnn"), dnn.experiment());
        assertInstanceOf(NetConf.Chain.class, dnn.conf());

        NetCatalog.Entry cnn = NetCatalog.get("shape-color-cnn", new int[] {3, 32, 32}, 4, LayerChoice.CUSTOM);
        assertArrayEquals(new int[] {3, 32, 32}, cnn.input());
        assertEquals(4, cnn.classes());

        NetCatalog.Entry resnet = NetCatalog.get("resnet18", LayerChoice.DL4J);
        assertArrayEquals(new int[] {3, 224, 224}, resnet.input());
        assertEquals(1000, resnet.classes());
        assertNull(resnet.experiment());
        assertInstanceOf(NetConf.Graph.class, resnet.conf());
        assertThrows(IllegalStateException.class, () -> resnet.conf().chain());

        UserError unknown = assertThrows(UserError.class, () -> NetCatalog.get("lenet6", LayerChoice.DL4J));
        assertTrue(unknown.getMessage().contains("unknown network or experiment 'lenet6'"), unknown.getMessage());
    }

    @Test
    void anExperimentDeclarationMustStateItsHyperParameters() {
        Experiment e = Experiment.named("x").section("18.4").data("mnist", InputView.IMAGE).epochs(1).batch(8)
                .learningRate(0.1).checkpoint(0.5).chain(MnistCnn::conf).description("d").build();
        assertTrue(Double.isNaN(e.bookAccuracy()) && Double.isNaN(e.stopLoss()) && !e.augment() && !e.validateOnTest());
        assertEquals(Experiment.BookModel.LAST, e.bookModel());
        assertThrows(IllegalStateException.class, () -> Experiment.named("x").section("18.4")
                .data("mnist", InputView.IMAGE).epochs(1).batch(8).learningRate(0.1).chain(MnistCnn::conf)
                .description("no checkpoint").build());
    }
}
