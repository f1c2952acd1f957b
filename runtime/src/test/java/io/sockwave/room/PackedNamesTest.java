package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedNamesTest {
    @Test
    void unpacksEveryNameAsGivenInItsOrder() {
        List<String> names = List.of("alice", "", "bob", "😀-émile", "guest-12", "a");
        List<String> packed = PackedNames.of(names);
        assertEquals(names, packed);
        assertEquals(names.hashCode(), packed.hashCode());
        assertEquals(6, packed.size());
        assertEquals("😀-émile", packed.get(3));
        assertEquals(names, List.copyOf(packed));
    }

    @Test
    void anEmptyListStaysEmpty() {
        assertEquals(List.of(), PackedNames.of(List.of()));
    }

    @Test
    void aThousandNamesComeBackWhole() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            names.add("member-" + i);
        }
        assertEquals(names, PackedNames.of(names));
    }

    @Test
    void itCannotBeChangedNorReadOutOfRange() {
        List<String> packed = PackedNames.of(List.of("alice", "bob"));
        assertThrows(UnsupportedOperationException.class, () -> packed.add("carol"));
        assertThrows(UnsupportedOperationException.class, () -> packed.set(0, "carol"));
        assertThrows(IndexOutOfBoundsException.class, () -> packed.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> packed.get(-1));
    }
}
