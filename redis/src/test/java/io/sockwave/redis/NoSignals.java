package io.sockwave.redis;

import io.sockwave.room.RoomLog;

/** Signals for a log whose appends and reconnections a test does not follow. */
final class NoSignals implements RoomLog.Signals {
    static final NoSignals INSTANCE = new NoSignals();

    private NoSignals() {
    }

    @Override
    public void appended(String room, long sequence) {
    }

    @Override
    public void reconnected() {
    }
}
