package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.training.CudaSupport.Facts;
import cnnlab.training.CudaSupport.Gpu;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CUDA build's GPU check, decided from facts (no GPU needed). */
class CudaSupportTest {

    private static Facts one(String name, String cap, String driver) {
        String[] c = cap.split("\\.");
        return new Facts(List.of(new Gpu(name, Integer.parseInt(c[0]), Integer.parseInt(c[1]))), driver, 0);
    }

    @ParameterizedTest(name = "{0} {1} driver {2}: {3}")
    @CsvSource({
        "Tesla K80,            3.7,  470.82.01, false",
        "Tesla K80,            3.7,  510.39.01, true",
        "Tesla K40,            3.5,  510.47.03, false",
        "GeForce GTX 680,      3.0,  535.54.03, false",
        "Tesla M40,            5.2,  535.54.03, true",
        "Jetson Nano,          5.3,  535.54.03, true",
        "Tesla P100,           6.0,  535.54.03, true",
        "GeForce GTX 1080,     6.1,  535.54.03, true",
        "Tesla V100,           7.0,  535.54.03, true",
        "Tesla T4,             7.5,  418.67,    false",
        "Tesla T4,             7.5,  470.82.01, false",
        "Tesla T4,             7.5,  510.39.01, true",
        "A100,                 8.0,  535.54.03, true",
        "GeForce RTX 3090,     8.6,  535.54.03, true",
        "GeForce RTX 4090,     8.9,  550.54.15, true",
        "NVIDIA H100,          9.0,  550.54.15, false",
        "NVIDIA H200,          9.0,  570.86.15, false",
        "NVIDIA B200,          10.0, 570.86.15, false",
        "GeForce RTX 5090,     12.0, 575.51.02, false",
    })
    void table(String name, String cap, String driver, boolean ok) {
        String p = CudaSupport.problem(one(name, cap, driver));
        if (ok) {
            assertNull(p);
        } else {
            assertNotNull(p);
            assertEquals(1, p.lines().count(), "one line: " + p);
            assertTrue(p.contains("CPU build"), p);
        }
    }

    @Test
    void unsupportedGpuLineNamesGpuCapabilityRangeAndCpuBuild() {
        String p = CudaSupport.problem(one("NVIDIA H200", "9.0", "570.86.15"));
        assertTrue(p.startsWith("NVIDIA H200 (compute capability 9.0) cannot run the CUDA build"), p);
        assertTrue(p.contains("3.7") && p.contains("8.6") && p.contains("9.0 Hopper"), p);
        assertTrue(p.contains("the CPU build (without -Pcuda) works"), p);
    }

    @Test
    void oldDriverLineNamesDriverAndMinimum() {
        String p = CudaSupport.problem(one("Tesla T4", "7.5", "470.82.01"));
        assertTrue(p.startsWith("NVIDIA driver 470.82.01 is too old"), p);
        assertTrue(p.contains("510 or newer") && p.contains("Tesla T4"), p);
    }

    @Test
    void driverApiVersionFromTheRuntime() {
        List<Gpu> t4 = List.of(new Gpu("Tesla T4", 7, 5));
        assertNotNull(CudaSupport.problem(new Facts(t4, null, 11040)), "CUDA 11.4 driver (470)");
        assertTrue(CudaSupport.problem(new Facts(t4, null, 11040)).contains("CUDA 11.4"));
        assertNull(CudaSupport.problem(new Facts(t4, null, 11060)));
        assertNull(CudaSupport.problem(new Facts(t4, null, 12020)));
        assertNull(CudaSupport.problem(new Facts(t4, null, 0)), "unknown driver: the GPU decides");
        assertTrue(CudaSupport.problem(new Facts(List.of(), null, 11040, 35)).contains("driver is too old"));
        assertTrue(CudaSupport.problem(new Facts(List.of(), null, 12020, 100)).contains("no usable NVIDIA GPU"));
    }

    @Test
    void oneUnsupportedGpuAmongSeveralIsNamed() {
        Facts f = new Facts(List.of(new Gpu("NVIDIA A100", 8, 0), new Gpu("NVIDIA H100", 9, 0)), "550.54.15", 0);
        String p = CudaSupport.problem(f);
        assertTrue(p.startsWith("NVIDIA H100 (compute capability 9.0)") && p.contains("CUDA_VISIBLE_DEVICES"), p);
    }

    @Test
    void parsesNvidiaSmi() {
        Facts f = CudaSupport.parseNvidiaSmi("NVIDIA H200, 9.0, 570.86.15\nNVIDIA GeForce RTX 3090, 8.6, 570.86.15\n");
        assertEquals(List.of(new Gpu("NVIDIA H200", 9, 0), new Gpu("NVIDIA GeForce RTX 3090", 8, 6)), f.gpus());
        assertEquals("570.86.15", f.driver());
        assertEquals(570, CudaSupport.driverMajor(f.driver()));
        // an old nvidia-smi that knows no compute_cap field, or a GPU without one
        assertNull(CudaSupport.parseNvidiaSmi("Field \"compute_cap\" is not a valid field to query."));
        assertNull(CudaSupport.parseNvidiaSmi("Tesla K80, [N/A], 470.82.01"));
        assertNull(CudaSupport.parseNvidiaSmi(""));
    }

    @Test
    void cpuBuildNeedsNoCheck() {
        assertEquals(!Backend.isCpu(), CudaSupport.cudaBuild(), "the CUDA backend is found without starting it");
        if (!CudaSupport.cudaBuild()) {
            assertNull(CudaSupport.checkThisMachine(), "nothing to check on the CPU build");
        }
    }
}
