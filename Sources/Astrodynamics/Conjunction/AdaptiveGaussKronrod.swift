import Foundation

/// A function of one variable to integrate; a protocol rather than a closure so that each integrand is
/// specialised into the quadrature loop.
protocol Integrand {
    /// The value at `x`.
    func callAsFunction(_ x: Double) -> Double
}

/// Globally adaptive Gauss–Kronrod quadrature with the 7-point Gauss / 15-point Kronrod pair (Piessens et al.
/// 1983, QUADPACK `qk15`/`qag`): the panel with the largest error estimate is halved until the summed estimate is
/// below the tolerance.
enum AdaptiveGaussKronrod {
    /// Kronrod abscissae on [−1, 1], from the end inwards; odd indices are the 7 Gauss abscissae.
    private static let nodes: [Double] = [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.0,
    ]
    /// Kronrod weights, matching `nodes`.
    private static let kronrodWeights: [Double] = [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ]
    /// Gauss weights of `nodes[1]`, `nodes[3]`, `nodes[5]`, `nodes[7]`.
    private static let gaussWeights: [Double] = [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
    ]

    /// The error below which any integral is accurate enough: probabilities this small are zero.
    private static let absoluteTolerance = 1e-300

    /// One panel: its bounds, Kronrod estimate and error estimate.
    private struct Panel {
        var lower: Double
        var upper: Double
        var value: Double
        var error: Double
    }

    /// ∫ f over [`breakpoints.first`, `breakpoints.last`], starting with one panel between each pair of
    /// consecutive breakpoints (which must be increasing), to `relativeTolerance` of the result.
    static func integrate<F: Integrand>(
        _ f: F, breakpoints: [Double], relativeTolerance: Double, maximumPanels: Int = 400
    ) -> (value: Double, errorEstimate: Double) {
        precondition(breakpoints.count >= 2, "the quadrature needs an interval")
        let capacity = Swift.max(maximumPanels, breakpoints.count - 1)
        return withUnsafeTemporaryAllocation(of: Panel.self, capacity: capacity) { panels in
            var count = 0
            for index in 1..<breakpoints.count {
                panels.initializeElement(at: count, to: panel(f, breakpoints[index - 1], breakpoints[index]))
                count += 1
            }
            var (value, error) = totals(panels, count)
            // Below ~1e-300 the integrand is subnormal and its error estimates are noise: that is zero enough.
            while error > Swift.max(relativeTolerance * Swift.abs(value), absoluteTolerance) && count < capacity {
                var worst = 0
                for index in 1..<count where panels[index].error > panels[worst].error { worst = index }
                let old = panels[worst]
                let middle = 0.5 * (old.lower + old.upper)
                // A panel too narrow to halve in floating point is as good as it gets.
                guard middle > old.lower, middle < old.upper else {
                    panels[worst].error = 0
                    (value, error) = totals(panels, count)
                    continue
                }
                panels[worst] = panel(f, old.lower, middle)
                panels.initializeElement(at: count, to: panel(f, middle, old.upper))
                count += 1
                (value, error) = totals(panels, count)
            }
            return (value, error)
        }
    }

    private static func totals(_ panels: UnsafeMutableBufferPointer<Panel>, _ count: Int) -> (Double, Double) {
        var value = 0.0
        var error = 0.0
        for index in 0..<count {
            value += panels[index].value
            error += panels[index].error
        }
        return (value, error)
    }

    /// The 15-point Kronrod estimate on [a, b] and QUADPACK's error estimate from its difference with the
    /// embedded 7-point Gauss rule.
    private static func panel<F: Integrand>(_ f: F, _ a: Double, _ b: Double) -> Panel {
        let centre = 0.5 * (a + b)
        let half = 0.5 * (b - a)
        var values = (
            SIMD8<Double>(repeating: 0),  // f(centre − half·x_i)
            SIMD8<Double>(repeating: 0)  // f(centre + half·x_i)
        )
        for i in 0..<7 {
            values.0[i] = f(centre - half * nodes[i])
            values.1[i] = f(centre + half * nodes[i])
        }
        let fc = f(centre)
        var kronrod = kronrodWeights[7] * fc
        var gauss = gaussWeights[3] * fc
        var absolute = Swift.abs(kronrod)
        for i in 0..<7 {
            let pair = values.0[i] + values.1[i]
            kronrod += kronrodWeights[i] * pair
            absolute += kronrodWeights[i] * (Swift.abs(values.0[i]) + Swift.abs(values.1[i]))
            if i % 2 == 1 { gauss += gaussWeights[i / 2] * pair }
        }
        let mean = 0.5 * kronrod
        var spread = kronrodWeights[7] * Swift.abs(fc - mean)
        for i in 0..<7 {
            spread += kronrodWeights[i] * (Swift.abs(values.0[i] - mean) + Swift.abs(values.1[i] - mean))
        }
        var error = Swift.abs((kronrod - gauss) * half)
        spread *= Swift.abs(half)
        absolute *= Swift.abs(half)
        if spread != 0, error != 0 { error = spread * Swift.min(1, pow(200 * error / spread, 1.5)) }
        if absolute > Double.leastNormalMagnitude / (50 * Double.ulpOfOne) {
            error = Swift.max(50 * Double.ulpOfOne * absolute, error)
        }
        return Panel(lower: a, upper: b, value: kronrod * half, error: error)
    }
}
