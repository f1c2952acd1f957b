package io.sockwave.bench.cluster;

import java.util.List;

/**
 * One run's workload and phases.
 *
 * @param clients members in all, connected in two equal batches (the memory reading is taken after each)
 * @param rooms rooms; every room has members on every node
 * @param fixedRate deliveries per second of the fixed-rate phase and of the load during the faults
 * @param warmup seconds of load before the fixed-rate measurement
 * @param measure seconds measured at the fixed rate
 * @param rampRates offered deliveries per second of the ramp, ascending
 * @param rampStep seconds measured per ramp step (after one unmeasured second)
 * @param rampLimitMillis the ramp stops after the first step whose cross-node p99 exceeds this
 * @param pauseSeconds how long Redis is stopped
 * @param faultLead seconds of load before each fault
 * @param faultTimeout seconds after a fault beyond which catching up counts as not done
 * @param reconnectJitterMillis members cut off reconnect after a random delay up to this
 * @param settle seconds to wait before each memory reading
 */
record Settings(int clients, int rooms, int fixedRate, double warmup, double measure, List<Integer> rampRates,
                double rampStep, double rampLimitMillis, double pauseSeconds, double faultLead, double faultTimeout,
                int reconnectJitterMillis, double settle) {
    /** @return members per room, the deliveries of one message */
    int roomSize() {
        return clients / rooms;
    }
}
