package cnnlab.models.classic;

import cnnlab.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The classic networks of the book's 18.0 by name: {@code ClassicNets.get("resnet18").small().build()}. */
public final class ClassicNets {
    private static final Map<String, Supplier<ClassicNet<?>>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("lenet5", LeNet5::new);
        ALL.put("alexnet", AlexNet::new);
        ALL.put("zfnet", ZFNet::new);
        ALL.put("vgg16", Vgg16::new);
        ALL.put("googlenet", GoogLeNet::new);
        ALL.put("resnet18", ResNet::resnet18);
        ALL.put("resnet34", ResNet::resnet34);
        ALL.put("resnet50", ResNet::resnet50);
        ALL.put("densenet121", DenseNet121::new);
    }

    private ClassicNets() {
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static boolean contains(String name) {
        return ALL.containsKey(name);
    }

    /** A new builder with the net's defaults (3×224×224 and 1000 classes; LeNet-5 1×32×32 and 10). */
    public static ClassicNet<?> get(String name) {
        Supplier<ClassicNet<?>> s = ALL.get(name);
        if (s == null) {
            throw new UserError("unknown network '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return s.get();
    }
}
