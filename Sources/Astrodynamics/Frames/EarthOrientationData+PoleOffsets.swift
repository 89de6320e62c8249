// The two forms of the celestial pole offsets. The IERS publishes dX, dY w.r.t. IAU 2006/2000A (finals2000A, C04)
// and, in the older series, dψ, dε w.r.t. IAU 1976/1980 (finals.all). Both locate the same observed pole in the
// GCRS, so one converts to the other through the models: true pole = IAU 2006/2000B pole + (dX, dY) = pole of the
// IAU 1976/1980 chain corrected by (dψ, dε). Checked against Vallado 4th ed. Example 3-14 (2004-04-06:
// dX = −0.205 mas, dY = −0.136 mas ↔ dψ = −52.195 mas, dε = −3.875 mas from finals.all) to < 0.5 mas, the
// accuracy of IAU 2000B.
extension EarthOrientationData {
    /// dψ, dε w.r.t. IAU 1976/1980 at an instant, arcseconds: interpolated from an IAU 1980 table, or converted
    /// from dX, dY (see the file comment). These are the corrections the FK5 (TEME → GCRF) chain adds.
    public func nutationCorrectionsIAU1980(at epoch: Epoch) -> (dPsiArcseconds: Double, dEpsilonArcseconds: Double) {
        let p = parameters(at: epoch)
        if poleOffsetModel == .iau1980 { return (p.poleOffset1Arcseconds, p.poleOffset2Arcseconds) }
        let t = epoch.ttCenturiesSinceJ2000
        let chain = FK5PrecessionNutation(ttCenturies: t)
        let pole = CelestialPole.iau2006B(ttCenturies: t)
        let correction = chain.correction(
            toPoleX: pole.x + p.poleOffset1Arcseconds * Angle.arcsecond,
            y: pole.y + p.poleOffset2Arcseconds * Angle.arcsecond)
        return (correction.dPsi / Angle.arcsecond, correction.dEps / Angle.arcsecond)
    }

    /// dX, dY w.r.t. IAU 2006/2000A at an instant, arcseconds: interpolated from an IAU 2000A table, or
    /// converted from dψ, dε of an IAU 1980 table.
    public func celestialPoleOffsetsIAU2000A(at epoch: Epoch) -> (dXArcseconds: Double, dYArcseconds: Double) {
        let p = parameters(at: epoch)
        if poleOffsetModel == .iau2000A { return (p.poleOffset1Arcseconds, p.poleOffset2Arcseconds) }
        let t = epoch.ttCenturiesSinceJ2000
        let chain = FK5PrecessionNutation(ttCenturies: t)
        let corrected = chain.pole(
            correction: (p.poleOffset1Arcseconds * Angle.arcsecond, p.poleOffset2Arcseconds * Angle.arcsecond))
        let model = CelestialPole.iau2006B(ttCenturies: t)
        return ((corrected.x - model.x) / Angle.arcsecond, (corrected.y - model.y) / Angle.arcsecond)
    }
}
