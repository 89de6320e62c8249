/// The noise a simulated sensor adds to what it measures: independent Gaussian errors of zero mean and the sensor's
/// 1σ (`OpticalCharacteristics.noiseArcseconds`, `RadarCharacteristics.rangeNoiseMetres` and
/// `dopplerNoiseMetresPerSecond`), drawn from one seeded `GaussianSampler`.
///
/// Draws are taken in a fixed order (per observation: right ascension then declination, or range then range rate;
/// observations in time order; tracks in the order they are simulated), so a seed and a sequence of tracks give the
/// same TDM everywhere. Pass `nil` where a simulator takes an `inout MeasurementNoise?` for noise-free measurements.
public struct MeasurementNoise: Sendable, Equatable {
    /// The standard normal source.
    public var sampler: GaussianSampler

    /// Noise seeded with `seed`.
    public init(seed: UInt64) {
        sampler = GaussianSampler(seed: seed)
    }

    /// One error of standard deviation `sigma` (in the unit of `sigma`).
    public mutating func error(standardDeviation sigma: Double) -> Double {
        sigma * sampler.next()
    }
}
