package io.sockwave.room;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list of names kept as one string and the end of each name in it. A member keeps the names present at its join
 * for its whole life; as separate strings (each an object and an array, decoded anew for every join) they cost
 * about 60 bytes a name, so every member of a room of a thousand would hold 60 KB. Packed, a name costs its
 * characters and four bytes. Immutable.
 */
final class PackedNames extends AbstractList<String> implements RandomAccess {
    private final String characters;
    private final int[] ends;

    private PackedNames(String characters, int[] ends) {
        this.characters = characters;
        this.ends = ends;
    }

    /** @return the names, in their order, packed */
    static List<String> of(List<String> names) {
        // sized first: grown by doubling, the builder copied the names about twice more, per join
        int length = 0;
        for (String name : names) {
            length += name.length();
        }
        StringBuilder characters = new StringBuilder(length);
        int[] ends = new int[names.size()];
        for (int i = 0; i < ends.length; i++) {
            characters.append(names.get(i));
            ends[i] = characters.length();
        }
        return new PackedNames(characters.toString(), ends);
    }

    @Override
    public String get(int index) {
        return characters.substring(index == 0 ? 0 : ends[index - 1], ends[index]);
    }

    @Override
    public int size() {
        return ends.length;
    }
}
