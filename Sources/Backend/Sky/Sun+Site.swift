import Astrodynamics
import Foundation

extension Sun {
    /// The apparent Sun's elevation above the geodetic horizon of `site`, degrees: topocentric (parallax
    /// included), aberration included, no refraction — the quantity twilight limits (−18° astronomical night)
    /// are stated in.
    public static func elevationDegrees(
        at site: GeodeticSite, epoch: Epoch, transformer: FrameTransformer = FrameTransformer()
    ) -> Double {
        let toITRF = transformer.rotation(from: .eme2000, to: .itrf, at: epoch).matrix
        let sun = toITRF * positionEME2000Kilometres(at: epoch, correction: .apparent)
        let line = sun - site.itrfPositionKilometres
        let up = site.eastNorthUp.up
        return asin((line * up).sum() / (line * line).sum().squareRoot()) * 180 / .pi
    }
}
