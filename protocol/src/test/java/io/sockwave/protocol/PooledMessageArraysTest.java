package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Messages assembled in the arrays of an {@link ArrayPool}: text arrays go back once decoded, lent binary messages
 * ({@link ConnectionConfig#lendBinary()}) are read-only views of exactly their bytes and go back when the handler
 * is done, a handler may keep one, and a message that fails midway gives its array back. The pool here checks that
 * no array is given back twice or given back without having been taken, the mistakes that would let two messages
 * share an array.
 */
class PooledMessageArraysTest {
    /** Rounds up to powers of two from 4 KiB like the runtime's pool, and reuses what it gets back. */
    private static final class CheckingPool implements ArrayPool {
        final Set<byte[]> out = Collections.newSetFromMap(new IdentityHashMap<>());
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        final List<byte[]> taken = new ArrayList<>();

        @Override
        public byte[] take(int minLength) {
            byte[] array = free.stream().filter(a -> a.length >= minLength).findFirst().orElse(null);
            if (array == null) {
                array = new byte[Math.max(4096, Integer.highestOneBit(Math.max(1, minLength - 1)) << 1)];
            } else {
                free.remove(array);
            }
            out.add(array);
            taken.add(array);
            return array;
        }

        @Override
        public void give(byte[] array) {
            assertTrue(out.remove(array), "an array given back that was not out: given twice, or never taken");
            free.push(array);
        }
    }

    /** Records what it is lent, copied, and says it is done with each buffer unless told to keep them. */
    private static final class Lending implements EventHandler {
        final List<byte[]> binary = new ArrayList<>();
        final List<ByteBuffer> lent = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        ProtocolException failure;
        boolean keep;

        @Override
        public boolean onBinaryLent(ByteBuffer data) {
            assertTrue(data.isReadOnly(), "a lent buffer is read-only");
            assertEquals(data.remaining(), data.capacity(), "a lent buffer holds exactly the message");
            lent.add(data);
            binary.add(Frames.toArray(data.duplicate()));
            return !keep;
        }

        @Override
        public void onBinary(ByteBuffer data) {
            binary.add(Frames.toArray(data.duplicate()));
        }

        @Override
        public void onText(String text) {
            texts.add(text);
        }

        @Override
        public void onFailure(ProtocolException error) {
            failure = error;
        }
    }

    private static Connection server(CheckingPool pool, boolean lend) {
        return new Connection(ConnectionConfig.of(Role.SERVER).withArrays(pool).withLendBinary(lend));
    }

    /** Feeds the stream through a direct buffer in reads of {@code readSize}, as a socket would hand it over. */
    private static void receive(Connection connection, byte[] stream, int readSize, EventHandler handler) {
        ByteBuffer in = ByteBuffer.allocateDirect(stream.length);
        in.put(stream).flip();
        for (int at = 0; at < stream.length && connection.isOutputOpen(); at += readSize) {
            connection.receive(in.limit(Math.min(stream.length, at + readSize)), handler);
        }
    }

    private static byte[] fragments(int opcode, byte[] payload, int pieces) {
        List<byte[]> frames = new ArrayList<>();
        int step = (payload.length + pieces - 1) / pieces;
        for (int at = 0, i = 0; at < payload.length; at += step, i++) {
            byte[] piece = java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + step));
            boolean fin = at + step >= payload.length;
            frames.add(Frames.clientFragment(fin, i == 0 ? opcode : 0, piece));
        }
        return Frames.concat(frames.toArray(new byte[0][]));
    }

    @Test
    void aTextMessageIsAssembledInPooledArraysThatAllGoBackOnceItIsDecoded() {
        CheckingPool pool = new CheckingPool();
        Lending handler = new Lending();
        String text = "ünïcödé and € and 𝄞, ".repeat(500);
        receive(server(pool, false), fragments(Frames.TEXT, Frames.utf8(text), 3), 1000, handler);
        assertEquals(List.of(text), handler.texts);
        assertFalse(pool.taken.isEmpty(), "the text was assembled in the pool's arrays");
        assertTrue(pool.out.isEmpty(), "every array went back: " + pool.out.size() + " still out");
    }

    @Test
    void aLentBinaryMessageIsExactlyItsBytesAndItsArrayServesTheNextMessage() {
        CheckingPool pool = new CheckingPool();
        Lending handler = new Lending();
        Connection server = server(pool, true);
        byte[] first = Frames.pattern(5000);
        byte[] second = new byte[3000];
        java.util.Arrays.fill(second, (byte) 0x5a);
        receive(server, Frames.concat(Frames.client(Frames.BINARY, first), Frames.client(Frames.BINARY, second)),
                700, handler);
        assertArrayEquals(first, handler.binary.get(0));
        // The same array, reused: the second view shows its 3000 bytes and none of the first message's beyond them.
        assertArrayEquals(second, handler.binary.get(1));
        Set<byte[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(pool.taken);
        assertTrue(distinct.size() < pool.taken.size(), "the second message reused an array of the first");
        assertTrue(pool.out.isEmpty(), "both arrays went back");
    }

    @Test
    void anEmptyMessageAfterAPooledOneIsLentEmptyAndGivesNothingBack() {
        CheckingPool pool = new CheckingPool();
        Lending handler = new Lending();
        byte[] first = Frames.pattern(5000);
        byte[] stream = Frames.concat(Frames.client(Frames.BINARY, first), Frames.client(Frames.BINARY, new byte[0]),
                Frames.client(Frames.TEXT, Frames.utf8("a".repeat(5000))), Frames.client(Frames.BINARY, new byte[0]));
        receive(server(pool, true), stream, Integer.MAX_VALUE, handler);
        assertEquals(null, handler.failure);
        assertArrayEquals(first, handler.binary.get(0));
        assertArrayEquals(new byte[0], handler.binary.get(1));
        assertArrayEquals(new byte[0], handler.binary.get(2));
        assertEquals(List.of("a".repeat(5000)), handler.texts);
        assertTrue(pool.out.isEmpty(), "every array went back, and nothing that was not taken");
    }

    @Test
    void aHandlerThatKeepsALentBufferKeepsItsBytes() {
        CheckingPool pool = new CheckingPool();
        Lending handler = new Lending();
        handler.keep = true;
        Connection server = server(pool, true);
        byte[] first = Frames.pattern(5000);
        byte[] second = new byte[5000];
        receive(server, Frames.concat(Frames.client(Frames.BINARY, first), Frames.client(Frames.BINARY, second)),
                Integer.MAX_VALUE, handler);
        assertArrayEquals(first, Frames.toArray(handler.lent.get(0).duplicate()), "the kept message is intact");
        assertEquals(2, pool.out.size(), "kept arrays never go back to the pool");
    }

    @Test
    void withoutLendingABinaryMessageGetsAWritableArrayOfItsOwn() {
        CheckingPool pool = new CheckingPool();
        List<ByteBuffer> given = new ArrayList<>();
        EventHandler handler = new EventHandler() {
            @Override
            public void onBinary(ByteBuffer data) {
                given.add(data);
            }
        };
        byte[] payload = Frames.pattern(9000);
        receive(server(pool, false), fragments(Frames.BINARY, payload, 4), 1000, handler);
        assertEquals(1, given.size());
        assertFalse(given.get(0).isReadOnly());
        assertArrayEquals(payload, Frames.toArray(given.get(0)));
        assertTrue(pool.taken.isEmpty(), "a binary message that is given away is not built in the pool's arrays");
    }

    @Test
    void aTextMessageFailedMidwayGivesItsArrayBack() {
        CheckingPool pool = new CheckingPool();
        Lending handler = new Lending();
        byte[] valid = Frames.utf8("a".repeat(6000));
        byte[] invalid = {(byte) 0xc0, (byte) 0x80};
        // RFC 6455 §8.1: an overlong encoding fails the connection with 1007 as soon as it arrives.
        byte[] stream = Frames.concat(Frames.clientFragment(false, Frames.TEXT, valid),
                Frames.clientFragment(true, 0, invalid));
        receive(server(pool, false), stream, 1000, handler);
        assertNotNull(handler.failure);
        assertEquals(CloseCode.INVALID_PAYLOAD_DATA, handler.failure.closeCode());
        assertFalse(pool.taken.isEmpty());
        assertTrue(pool.out.isEmpty(), "the failed message's array went back");
    }

    @Test
    void theBudgetCountsThePoolsArrayAndAMessageThatFitsOnlyExactlyGetsAnExactArray() {
        CheckingPool pool = new CheckingPool();
        Lending handler = new Lending();
        MessageBudget roomy = new MessageBudget(8192);
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withArrays(pool).withLendBinary(true)
                .withMessageBudget(roomy));
        receive(server, fragments(Frames.BINARY, Frames.pattern(5000), 2), 1000, handler);
        assertArrayEquals(Frames.pattern(5000), handler.binary.get(0));
        assertEquals(0, roomy.held(), "nothing held once the message is handed over");

        // 5000 bytes fit in a budget of 6000, but the pool's array for them holds 8192: the message gets an array of
        // exactly its size instead, and the pool's goes back untouched.
        MessageBudget tight = new MessageBudget(6000);
        Lending fitting = new Lending();
        Connection other = new Connection(ConnectionConfig.of(Role.SERVER).withArrays(pool).withLendBinary(true)
                .withMessageBudget(tight));
        receive(other, Frames.client(Frames.BINARY, Frames.pattern(5000)), Integer.MAX_VALUE, fitting);
        assertEquals(null, fitting.failure);
        assertArrayEquals(Frames.pattern(5000), fitting.binary.get(0));
        assertEquals(0, tight.held(), "nothing held once the message is handed over");
        assertTrue(pool.out.isEmpty(), "the rounded array went back unused");
    }
}
