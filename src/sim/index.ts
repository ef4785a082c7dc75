/**
 * `qnn-kd/sim` — the simulator in full, beyond the essentials of the main entry (`Statevector`, `Circuit`,
 * `adjointGradient`, …): gate matrices, circuit serialisation, measurement sampling, noise channels and models,
 * density-matrix and trajectory execution, every gradient route and cotangent, ground states (dense, Lanczos,
 * symmetry sectors), light cones, the program-level core (`applyProgram`) and the back-end query.
 *
 * @packageDocumentation
 */
export { MAX_QUBITS } from "./state/statevector";
export type { PauliLetter } from "./state/pauli";
export {
  H_MAT,
  X_MAT,
  Y_MAT,
  Z_MAT,
  S_MAT,
  T_MAT,
  I_MAT,
  rotationMatrix,
  rotationDerivative,
  u3Matrix,
} from "./program/gates";
export type { Mat2, Axis } from "./program/gates";
export { runInverse, circuitStats, opQubits } from "./program/circuit";
export type { CircuitStats } from "./program/circuit";
export { circuitToJSON, circuitFromJSON } from "./program/serialize";
export type { CircuitJSON } from "./program/serialize";
export { shiftRuleJacobian } from "./grad/parameterShift";
export { finiteDifferenceGradient } from "./grad/finiteDifference";
export { weightedZCotangent, probabilitiesCotangent, probsOutputIndex } from "./grad/cotangents";
export { timeExpectationGradient, gradientVariance, GRADIENT_METHODS } from "./grad/expectation";
export type { Cotangent } from "./grad/adjoint";
export type { GradientMethod, GradientVarianceOptions } from "./grad/expectation";
export {
  sampleMeasurements,
  measurementCounts,
  sampledExpectationZ,
  bitstring,
  sampleOutcomes,
  marginalProbabilities,
  shotExpectationZ,
} from "./state/measure";
export {
  bitFlip,
  phaseFlip,
  amplitudeDamping,
  phaseDamping,
  krausChannel,
  tensorChannel,
  tracePreservationError,
  channelLabel,
  readoutError,
  readoutZ,
} from "./noise/channels";
export type { Channel, ReadoutError } from "./noise/channels";
export { ONE_QUBIT_GATES, TWO_QUBIT_GATES, gateSignature } from "./noise/model";
export type { NoiseRow } from "./noise/model";
export {
  runDensity,
  runDensityAtAngles,
  trajectoryExpectationZAtAngles,
  densityAdjoint,
  densityExpectationZ,
  densityProbabilities,
  densityOf,
  superoperator,
  runTrajectory,
  trajectoryExpectationZ,
  MAX_DENSITY_QUBITS,
  CHECKPOINT_GROWTH,
} from "./noise/run";
export type { DensityInput, DensityAdjointResult, TrajectoryEstimate } from "./noise/run";
export { DensityMatrix, partialTrace, stateFidelity, pureStateFidelity, fidelity } from "./state/density";
export type { Ensemble } from "./state/density";
export { eigHermitian } from "../linalg/eigen";
export { lanczosGroundState } from "../linalg/lanczos";
export { groundState, xParitySector, sectorGroundState } from "./state/groundState";
export type { XParitySector, SectorGroundStateOptions } from "./state/groundState";
export { lightCone } from "./program/lightcone";
export type { LightCone } from "./program/lightcone";
export { activeBackend, applyProgram } from "./backends/engine";
export type { Backend } from "./backends/engine";
