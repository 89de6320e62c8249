import Testing

@testable import Astrodynamics

@Suite struct Matrix3Tests {
    @Test func passiveRotationAboutZGivesComponentsInTheRotatedFrame() {
        // A frame turned +90° about z sees the old x axis along its −y axis (Vallado 4th ed. §3.3, ROT3).
        let v = Matrix3.rotationZ(radians: .pi / 2) * SIMD3(1.0, 0, 0)
        #expect(abs(v.x) < 1e-15 && abs(v.y + 1) < 1e-15 && v.z == 0)
    }

    @Test func transposeInvertsARotation() {
        let r = Matrix3.rotationX(radians: 0.3) * Matrix3.rotationY(radians: -1.1) * Matrix3.rotationZ(radians: 2.0)
        let product = r * r.transposed
        for row in 0..<3 {
            for column in 0..<3 {
                #expect(abs(product[row, column] - (row == column ? 1 : 0)) < 1e-15)
            }
        }
    }
}
