/// The bytes of a message being written: a growable buffer with the appends the writers need, none of which builds a
/// `String` on the way (numbers go through the standard library's shortest round-trip formatter straight into the
/// buffer, epochs through `CCSDSEpoch.append(to:)`).
struct ByteSink: TextOutputStream {
    /// The bytes written so far.
    var bytes: [UInt8]

    /// An empty sink with room for `capacity` bytes.
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// `TextOutputStream`: appends a string's UTF-8.
    mutating func write(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    /// `TextOutputStream`: the standard library's number formatting hands its ASCII digits here, so that
    /// `Double.write(to:)` costs no `String`.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    /// Appends one byte.
    @inline(__always) mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a literal.
    @inline(__always) mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends a string's UTF-8.
    @inline(__always) mutating func text(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends `count` blanks.
    @inline(__always) mutating func spaces(_ count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(0x20, count: count)) }
    }

    /// Appends a finite double in Swift's shortest round-trip form (`2789.6`, `-0.0`, `1e-05`, `1.5e+20`): a valid
    /// CCSDS KVN number and a valid `xsd:double`. The caller has checked that the number is finite.
    @inline(__always) mutating func real(_ value: Double) {
        value.write(to: &self)
    }

    /// Appends an integer in decimal.
    mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]))
        }
    }

    /// Appends an epoch as written.
    @inline(__always) mutating func epoch(_ value: CCSDSEpoch) {
        value.append(to: &bytes)
    }

    /// Appends the numbers of a vector, separated by blanks.
    mutating func vector(_ values: [Double]) {
        for (index, value) in values.enumerated() {
            if index > 0 { byte(0x20) }
            real(value)
        }
    }
}

extension Value {
    /// Whether the value can be written as a CCSDS number: every double it holds is finite.
    var isWritable: Bool {
        switch self {
        case .real(let value): value.isFinite
        case .vector(let values): values.allSatisfy(\.isFinite)
        default: true
        }
    }
}
