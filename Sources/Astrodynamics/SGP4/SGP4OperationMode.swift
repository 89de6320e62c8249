/// Which variant of SGP4's few mode-dependent steps to run (Vallado et al. 2006, AIAA 2006-6753, "opsmode").
///
/// In the current revision the modes differ only in the Lyddane modification of the deep-space lunar-solar
/// periodics (inclination below 0.2 rad): AFSPC mode brings the node into 0–2π before and after the `atan2`, as the
/// Air Force Space Command code did. Both modes compute Greenwich sidereal time the modern way.
public enum SGP4OperationMode: String, Sendable, Hashable, CaseIterable {
    /// 'a': as the AFSPC operational code; the mode the verification run (`tcppver.out`) uses.
    case afspc
    /// 'i': Vallado's improved mode; python-sgp4's default.
    case improved
}
