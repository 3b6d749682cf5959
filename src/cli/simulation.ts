/** The dry-run pipeline of `hookline simulate` lives in the core (src/engine/simulation.ts): the server's what-if replays run it too. */
export { MAX_CHAIN_DEPTH, Simulation, toContractRecord, type SimulationItem } from "../engine/simulation.js";
