package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cnnlab.UserError;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    @Test
    void setsTheMmapThresholdOnLinux() {
        // the machines this project builds on are Linux/glibc: the call must go through
        assertEquals("malloc: mmap threshold 1048576 bytes", NativeMemory.apply(null, null));
        assertEquals("malloc: mmap threshold 4194304 bytes", NativeMemory.apply("4194304", null));
        assertEquals("malloc: mmap threshold 1048576 bytes", NativeMemory.apply(null, null)); // back to the default
    }

    @Test
    void leavesAUsersSettingAlone() {
        assertEquals("malloc: mmap threshold from GLIBC_TUNABLES",
                NativeMemory.apply(null, "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=4294967296"));
        assertEquals("malloc: glibc defaults (CNNLAB_MMAP_THRESHOLD=0)", NativeMemory.apply("0", null));
    }

    @Test
    void learningThresholdThenSteadyState() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CNNLAB_MMAP_THRESHOLD") == null
                && System.getenv("GLIBC_TUNABLES") == null, "the environment sets malloc itself");
        assertEquals("malloc: mmap threshold 1048576 bytes", NativeMemory.configure());
        NativeMemory.steady();
        assertEquals("malloc: steady (heap only, no new mappings)", NativeMemory.state());
        NativeMemory.steady(); // a second call changes nothing
        assertEquals("malloc: steady (heap only, no new mappings)", NativeMemory.state());
    }

    @Test
    void rejectsANonNumber() {
        UserError e = assertThrows(UserError.class, () -> NativeMemory.apply("1MB", null));
        assertEquals("CNNLAB_MMAP_THRESHOLD must be a number of bytes, got '1MB'", e.getMessage());
    }
}
