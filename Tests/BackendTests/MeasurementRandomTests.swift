import Foundation
import Testing

@testable import Backend

@Suite("Seeded noise: generators, logarithm, Gaussian deviates")
struct MeasurementRandomTests {
    @Test("SplitMix64 from seed 0 gives the published first outputs")
    func splitMix64Reference() {
        // prng.di.unimi.it/splitmix64.c from x = 0 (the values quoted with the reference code).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("xoshiro256** from the state {1, 2, 3, 4} gives the reference code's outputs")
    func xoshiroReference() {
        var generator = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect(generator.next() == 11520)
        #expect(generator.next() == 0)
        #expect(generator.next() == 1_509_978_240)
        #expect(generator.next() == 1_215_971_899_390_074_240)
        #expect(generator.next() == 0x10E0_B61C_E100_9D80)
    }

    @Test("xoshiro256** seeded through SplitMix64 matches an independent Python implementation")
    func xoshiroSeeded() {
        var generator = Xoshiro256StarStar(seed: 42)
        #expect(generator.next() == 0x1578_0B2E_0C2E_C716)
        #expect(generator.next() == 0x6104_D986_6D11_3A7E)
        #expect(generator.next() == 0xAE17_5332_39E4_99A1)
    }

    @Test("the portable logarithm is within 2 ulp of libm's over (0, 1) and beyond")
    func portableLogarithm() {
        var generator = Xoshiro256StarStar(seed: 7)
        var worst = 0.0
        for index in 0..<200_000 {
            let x = index % 2 == 0 ? max(generator.nextUnitInterval(), 1e-300) : 1 + 1e6 * generator.nextUnitInterval()
            let reference = log(x)
            let error = abs(PortableLogarithm.naturalLogarithm(x) - reference) / max(reference.ulp, Double.ulpOfOne)
            worst = max(worst, error)
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        #expect(PortableLogarithm.naturalLogarithm(1) == 0)
        #expect(abs(PortableLogarithm.naturalLogarithm(2) - 0.6931471805599453) <= 1e-16)
    }

    @Test("the polar method gives the deviates of an independent Python implementation (seed 1)")
    func gaussianReference() {
        // Python: the same xoshiro256** and Marsaglia polar method with math.log (IEEE libm).
        let expected = [
            1.884396104787977, 0.18978089448693036, 1.302090250702661, -1.9094343319583578, 0.43832091511541,
            -0.7923272422638171,
        ]
        var sampler = GaussianSampler(seed: 1)
        for value in expected {
            let deviate = sampler.next()
            #expect(abs(deviate - value) <= 4 * value.ulp, "\(deviate) vs \(value)")
        }
    }

    @Test("the same seed gives the same deviates, another seed others")
    func determinism() {
        var a = MeasurementNoise(seed: 2026)
        var b = MeasurementNoise(seed: 2026)
        var c = MeasurementNoise(seed: 2027)
        let first = (0..<1000).map { _ in a.error(standardDeviation: 1) }
        let second = (0..<1000).map { _ in b.error(standardDeviation: 1) }
        let third = (0..<1000).map { _ in c.error(standardDeviation: 1) }
        #expect(first == second)
        #expect(first != third)
    }

    @Test("200,000 deviates have mean 0, σ 1 and 68.27 % within 1σ (statistical bounds)")
    func gaussianMoments() {
        var sampler = GaussianSampler(seed: 99)
        let n = 200_000
        var sum = 0.0
        var squares = 0.0
        var inside = 0
        for _ in 0..<n {
            let x = sampler.next()
            sum += x
            squares += x * x
            if abs(x) <= 1 { inside += 1 }
        }
        let mean = sum / Double(n)
        let sigma = (squares / Double(n) - mean * mean).squareRoot()
        // Mean within 4σ/√n; σ's standard error is σ/√(2n) = 0.16 %: 1 % is > 6 standard errors.
        #expect(abs(mean) < 4 / Double(n).squareRoot())
        #expect(abs(sigma - 1) < 0.01)
        // P(|x| ≤ 1) = 0.682689; binomial standard error 0.00104.
        #expect(abs(Double(inside) / Double(n) - 0.682689) < 0.005)
    }
}
