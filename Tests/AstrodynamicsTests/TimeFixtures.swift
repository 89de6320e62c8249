import Foundation

/// Where the time and frame tests find their inputs.
enum TimeFixtures {
    /// `Tests/AstrodynamicsTests/Fixtures`.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The repository root.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The IERS files shipped with astropy-iers-data in the oracle virtual environment (absent on a bare checkout).
    static let iersData = repository.appendingPathComponent(".venv/lib/python3.11/site-packages/astropy_iers_data/data")

    /// The path of a fixture, e.g. `time/Leap_Second.dat`.
    static func path(_ relative: String) -> String {
        folder.appendingPathComponent(relative).path
    }

    /// Whether the full IERS files are available for the tests that read them.
    static var hasIERSData: Bool {
        FileManager.default.fileExists(atPath: iersData.appendingPathComponent("finals2000A.all").path)
    }
}
